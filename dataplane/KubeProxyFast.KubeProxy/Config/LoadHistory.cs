namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// The running totals behind a source's <see cref="ConfigLoadStatus"/>: loads attempted and
/// applied, and when one last succeeded. A source records from one load or sync at a time.
/// </summary>
internal sealed class LoadHistory
{
    private long _attempts;

    /// <summary>Loads applied so far.</summary>
    public long Successes { get; private set; }

    /// <summary>When a load last succeeded; null if none has.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Counts a load that ended at <paramref name="time"/> and returns the status it leaves.</summary>
    public ConfigLoadStatus Record(DateTimeOffset time, bool succeeded, string message, int servicePorts)
    {
        _attempts++;
        if (succeeded)
        {
            Successes++;
            LastSuccess = time;
        }

        return new ConfigLoadStatus
        {
            Time = time,
            Succeeded = succeeded,
            Message = message,
            Attempts = _attempts,
            Successes = Successes,
            LastSuccess = LastSuccess,
            ServicePorts = servicePorts,
        };
    }
}
