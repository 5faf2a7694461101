namespace KubeProxyFast.KubeProxy.Config;

/// <summary>Settings of a <see cref="ConfigFileSource"/>.</summary>
public sealed record ConfigFileSourceOptions
{
    /// <summary>
    /// Quiet time after a change event before the file is read: an editor's save is several
    /// events (truncate, write, chmod, rename), and reading after the last sees the whole file.
    /// </summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How often the file is read and its hash compared, whatever the watcher says: change events
    /// are lost on network file systems and for ConfigMap volumes (a symlink swapped in another
    /// directory entry), and inotify drops events when its queue overflows.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a load the engine could not apply (an address could not be bound), how long until the
    /// unchanged file is tried again: such causes pass (an address gets configured, a port freed).
    /// </summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>True for <c>kpf proxy --config</c>: every service must carry its cluster IP (see <see cref="SnapshotBuilder.Build"/>).</summary>
    public bool Standalone { get; init; } = true;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (Debounce < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Debounce), Debounce, "must not be negative");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "must be positive");
        }

        if (RetryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "must be positive");
        }
    }
}
