using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client;

/// <summary>What an <see cref="Informer{T}"/> watches, and how it recovers and resyncs.</summary>
public sealed record InformerOptions
{
    /// <summary>The namespace to watch; null for all namespaces (and for cluster-scoped kinds).</summary>
    public string? Namespace { get; init; }

    /// <summary>Only objects with these labels (a label selector).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Only objects with these fields (a field selector, e.g. <c>spec.nodeName=n1</c>).</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size of the LISTs (as client-go's reflector: 500).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// How often every cached object is re-delivered to the update handlers, so level-triggered
    /// reconcilers heal from missed or failed work; <see cref="TimeSpan.Zero"/> disables it.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The <c>timeoutSeconds</c> of each watch (whole seconds, at least 1); null picks a random
    /// 5 to 10 minutes per watch, as client-go does, so that many clients do not re-watch together.
    /// </summary>
    public TimeSpan? WatchTimeout { get; init; }

    /// <summary>First delay after a failed list or watch; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of the resync timer and the backoff delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where recovered failures and throwing handlers are reported; null for nowhere.</summary>
    public ILogger? Logger { get; init; }
}
