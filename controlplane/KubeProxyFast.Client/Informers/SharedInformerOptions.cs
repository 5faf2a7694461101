using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client.Informers;

/// <summary>How the informers of a <see cref="SharedInformerFactory"/> recover, resync and buffer.</summary>
public sealed record SharedInformerOptions
{
    /// <summary>Page size of the LISTs (as client-go's reflector: 500).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// How often every handler gets an update (old == new) for every cached object, so that
    /// level-based reconcilers heal from missed or failed work; <see cref="TimeSpan.Zero"/> (the
    /// default, as most of client-go's factories) for never.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; }

    /// <summary>
    /// The <c>timeoutSeconds</c> of each watch (whole seconds, at least 1); null picks a random
    /// 5 to 10 minutes per watch, as client-go does, so that many clients do not re-watch together.
    /// </summary>
    public TimeSpan? WatchTimeout { get; init; }

    /// <summary>First delay after a failed list or watch; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Notifications buffered per handler. A handler that falls this far behind is not given the
    /// later ones; once it has handled what was buffered it is caught up with the difference
    /// between what it was given and the cache, as a relist is (see <see cref="SharedInformer{T}"/>).
    /// </summary>
    public int HandlerBufferSize { get; init; } = 10_000;

    /// <summary>The clock of the resync timer and the backoff delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where recovered failures, throwing handlers and overflowing buffers are reported; null for nowhere.</summary>
    public ILogger? Logger { get; init; }
}
