using KubeProxyFast.Client.Informers;

namespace KubeProxyFast.KubeProxy.Sources.ApiServer;

/// <summary>Settings of an <see cref="ApiServerSource"/>.</summary>
public sealed record ApiServerSourceOptions
{
    /// <summary>
    /// First delay after a failed list or watch, doubled per failure up to <see cref="MaxBackoff"/>:
    /// while the apiserver is away the proxy keeps serving what it had, and tries again.
    /// </summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between attempts to reach the apiserver.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>timeoutSeconds</c> of each watch; null for client-go's random 5 to 10 minutes.</summary>
    public TimeSpan? WatchTimeout { get; init; }

    /// <summary>The settings of the informer factory the proxy lists and watches through.</summary>
    public SharedInformerOptions Informers(Microsoft.Extensions.Logging.ILogger logger, TimeProvider time) => new()
    {
        // The runner's periodic sync re-applies the whole state; re-delivering every object would add nothing.
        ResyncPeriod = TimeSpan.Zero,
        MinBackoff = MinBackoff,
        MaxBackoff = MaxBackoff,
        WatchTimeout = WatchTimeout,
        Time = time,
        Logger = logger,
    };
}
