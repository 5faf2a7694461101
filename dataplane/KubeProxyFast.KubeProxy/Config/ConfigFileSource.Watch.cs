namespace KubeProxyFast.KubeProxy.Config;

public sealed partial class ConfigFileSource
{
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;
    private ITimer? _poll;
    private Action? _changed;

    /// <summary>
    /// Reloads the file whenever it changes: a watcher on its directory (editors replace a file
    /// by renaming a new one over it, which a watch on the file itself would miss) schedules a
    /// load after <see cref="ConfigFileSourceOptions.Debounce"/>; independently, every
    /// <see cref="ConfigFileSourceOptions.PollInterval"/> the file is read and its hash compared,
    /// for the changes no event reports. A load of content already seen is skipped.
    /// </summary>
    public void StartWatching() => StartWatching(null);

    /// <summary>
    /// Watches the file as <see cref="StartWatching()"/> does, but where that loads on its timers,
    /// this calls <paramref name="changed"/> instead, and the caller (the pipeline's runner) calls
    /// <see cref="Sync"/> when it decides to.
    /// </summary>
    public void StartWatching(Action? changed)
    {
        lock (_loadLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_poll is not null)
            {
                return;
            }

            _changed = changed;
            _debounce = _time.CreateTimer(static s => ((ConfigFileSource)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _poll = _time.CreateTimer(static s => ((ConfigFileSource)s!).OnTimer(), this, _options.PollInterval, _options.PollInterval);
            _watcher = CreateWatcher();
        }
    }

    private FileSystemWatcher? CreateWatcher()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            var watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(Path))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnChanged;
            // An overflowed event queue lost changes; a load finds out what they were.
            watcher.Error += (_, _) => ScheduleLoad();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // inotify instances are limited per user (fs.inotify.max_user_instances); polling still works.
            ConfigLog.WatchUnavailable(_logger, directory, e.Message, _options.PollInterval.TotalSeconds);
            return null;
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => ScheduleLoad();

    private void ScheduleLoad()
    {
        // Each event pushes the load back, so a burst of events costs one load after it ends.
        try
        {
            _debounce?.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // an event raced with Dispose
        }
    }

    private void OnTimer()
    {
        if (_changed is { } changed)
        {
            changed();
            return;
        }

        try
        {
            LoadCore(force: false);
        }
        catch (Exception e)
        {
            // A timer callback that throws ends the process. A load that throws is reported
            // inside LoadCore; this guards the rest of the callback (reading, hashing) so that a
            // bug there cannot take down the proxy serving the configuration from before.
            ConfigLog.LoadCrashed(_logger, e, Path);
        }
    }

    private void StopWatching()
    {
        FileSystemWatcher? watcher;
        ITimer? debounce, poll;
        lock (_loadLock)
        {
            (watcher, debounce, poll) = (_watcher, _debounce, _poll);
            (_watcher, _debounce, _poll) = (null, null, null);
        }

        watcher?.Dispose();
        debounce?.Dispose();
        poll?.Dispose();
    }
}
