namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// The outcome of the latest load of a config file, and the running totals. Immutable and
/// swapped whole, so a metrics scrape reads a consistent value without taking a lock.
/// </summary>
public sealed record ConfigLoadStatus
{
    /// <summary>When the latest load was attempted.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>True when the latest load was applied.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>
    /// On success a summary (<c>loaded 3 service ports from /etc/kpf/services.yaml</c>); on
    /// failure the error, naming the file, the document and the field, one problem a line.
    /// </summary>
    public required string Message { get; init; }

    /// <summary>Loads attempted (a file found unchanged on a check is not an attempt).</summary>
    public required long Attempts { get; init; }

    /// <summary>Loads applied.</summary>
    public required long Successes { get; init; }

    /// <summary>Loads rejected; the configuration from before each kept serving.</summary>
    public long Failures => Attempts - Successes;

    /// <summary>When a load last succeeded; null if none has.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>Service ports of the configuration being served.</summary>
    public required int ServicePorts { get; init; }
}
