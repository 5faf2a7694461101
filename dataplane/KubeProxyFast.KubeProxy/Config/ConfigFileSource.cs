using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// Serves the Services and Endpoints of one file: reads it, builds the snapshot, applies it to
/// the engine, and does so again whenever the file changes (see <see cref="StartWatching()"/>).
/// A file that cannot be served — unreadable, malformed, invalid objects, two services on one
/// address, an address that cannot be bound — is reported (log and <see cref="Status"/>) naming
/// the file, document and field, and the configuration from before keeps serving whole.
/// </summary>
public sealed partial class ConfigFileSource : IProxySource
{
    // Invalid UTF-8 is an error to report, not something to replace with U+FFFD and serve.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ISnapshotTarget _target;
    private readonly ConfigFileSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _loadLock = new();
    private ProxySnapshot _serving = ProxySnapshot.Empty;
    private byte[]? _lastHash;
    private bool _retryApply;
    private readonly LoadHistory _history = new();
    private DateTimeOffset? _readAt;
    private volatile ConfigLoadStatus? _status;
    private bool _disposed;
    private bool _logFailures;

    /// <summary>Creates a source that applies to <paramref name="engine"/> directly (the standalone proxy).</summary>
    public ConfigFileSource(
        string path, ProxyEngine engine, ConfigFileSourceOptions? options = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
        : this(path, new Agent.EngineTarget(engine), options, loggerFactory, time)
    {
    }

    /// <summary>Creates the source; nothing is read until <see cref="Load"/> or <see cref="StartWatching()"/>.</summary>
    /// <param name="path">The file of Services and Endpoints (YAML or JSON).</param>
    /// <param name="target">What to apply snapshots to.</param>
    /// <param name="options">Reload timing; defaults when null.</param>
    /// <param name="loggerFactory">Where errors and changes are logged.</param>
    /// <param name="time">The clock of the timers (tests may pass a fake one).</param>
    public ConfigFileSource(
        string path, ISnapshotTarget target, ConfigFileSourceOptions? options = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(target);
        _options = options ?? new ConfigFileSourceOptions();
        _options.Validate();
        Path = System.IO.Path.GetFullPath(path);
        _target = target;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KubeProxyFast.KubeProxy.Config");
    }

    /// <summary>The file, as a full path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public string Description => Path;

    /// <summary>The latest load's outcome and the totals; null before the first load.</summary>
    public ConfigLoadStatus? Status => _status;

    /// <summary>The snapshot of the last load that was applied.</summary>
    public ProxySnapshot Serving
    {
        get
        {
            lock (_loadLock)
            {
                return _serving;
            }
        }
    }

    /// <summary>
    /// Reads and applies the file now, even if it has not changed. A failure is returned, not
    /// logged: the caller reports it (the loads the watcher makes are logged).
    /// </summary>
    public ConfigLoadStatus Load() => LoadCore(force: true) ?? throw new ObjectDisposedException(nameof(ConfigFileSource));

    /// <summary>
    /// Loads the file if it changed since the last load (or a load the engine could not apply is
    /// due for a retry); a failure is logged. Returns when the file was read, if it was applied.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Sync()
    {
        try
        {
            lock (_loadLock)
            {
                var successes = _history.Successes;
                LoadCore(force: false);
                return _history.Successes != successes && _readAt is { } readAt ? [readAt] : [];
            }
        }
        catch (Exception e)
        {
            // As OnTimer: a bug in reading or hashing must not take down the proxy serving the configuration from before.
            ConfigLog.LoadCrashed(_logger, e, Path);
            return [];
        }
    }

    /// <summary>Stops watching. The engine keeps serving what was applied; its owner disposes it.</summary>
    public void Dispose()
    {
        StopWatching();
        lock (_loadLock)
        {
            _disposed = true;
        }
    }

    /// <summary>One load, serialized with every other; null when disposed.</summary>
    private ConfigLoadStatus? LoadCore(bool force)
    {
        lock (_loadLock)
        {
            if (_disposed)
            {
                return null;
            }

            _logFailures = !force;

            _readAt = _time.GetUtcNow();
            byte[] content;
            try
            {
                content = File.ReadAllBytes(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                var wasReadable = _lastHash is not null || _status is null;
                _lastHash = null; // so the file coming back with the same content is loaded again
                return force || wasReadable ? Fail($"{Path}: cannot read the file: {e.Message}") : _status;
            }

            var hash = SHA256.HashData(content);
            if (!force && _lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash) && !RetryDue())
            {
                return _status;
            }

            _lastHash = hash;
            var status = ApplyOrReportCrash(content);
            ReleaseLoadGarbage();
            return status;
        }
    }

    /// <summary>
    /// The proxy's hot path allocates nothing, so after a load no allocation would ever trigger a
    /// collection: the parse trees of a large file (tens of MiB for 1,000 services) would stay
    /// resident until the next reload. A load is rare; collect and hand the memory back now.
    /// </summary>
    private static void ReleaseLoadGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private bool RetryDue() =>
        _retryApply && _status is { } status && _time.GetUtcNow() - status.Time >= _options.RetryInterval;

    /// <summary>
    /// <see cref="Apply"/>, with an exception it throws (a bug: bad files are reported, not
    /// thrown) counted as a failed load, so the metrics and <see cref="Status"/> say what the
    /// critical log line says, rather than still showing the last success.
    /// </summary>
    private ConfigLoadStatus ApplyOrReportCrash(byte[] content)
    {
        try
        {
            return Apply(content);
        }
        catch (Exception e)
        {
            ConfigLog.LoadCrashed(_logger, e, Path);
            // The engine may have taken part of the new snapshot before throwing: put back the
            // one the log line says stays in service (a no-op when the crash came before it).
            RestoreServing();
            return Publish(false, $"{Path}: loading failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Applies the configuration from before again, logging what it could not restore.</summary>
    private void RestoreServing()
    {
        try
        {
            foreach (var failure in _target.Apply(_serving).Failures)
            {
                ConfigLog.RestoreFailed(_logger, failure.Id.ToString(), failure.Reason);
            }
        }
        catch (Exception e)
        {
            ConfigLog.LoadCrashed(_logger, e, Path);
        }
    }

    private ConfigLoadStatus Apply(byte[] content)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException e)
        {
            return Fail($"{Path}: the file is not UTF-8 text: {e.Message}");
        }

        if (!ConfigFileReader.TryRead(text, out var objects, out var readError))
        {
            return Fail($"{Path}: {readError}");
        }

        var origins = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        foreach (var o in objects)
        {
            origins[o.ApiObject] = o.Origin;
        }

        var result = SnapshotBuilder.Build(objects.Select(o => o.ApiObject), _options.Standalone);
        foreach (var warning in result.Warnings)
        {
            ConfigLog.Warning(_logger, $"{Path}: {Where(warning, origins)}{warning.Message}");
        }

        if (result.Snapshot is not { } snapshot)
        {
            return Fail(string.Join('\n', result.Errors.Select(e => $"{Path}: {Where(e, origins)}{e.Message}")));
        }

        var applied = _target.Apply(snapshot);
        if (applied.Failures.Count > 0)
        {
            return RollBack(applied, objects);
        }

        _retryApply = false;
        var previous = _serving;
        _serving = snapshot;
        LogChanges(previous, snapshot);
        return Publish(true, $"loaded {snapshot.Ports.Length} service ports from {Path}");
    }

    /// <summary>
    /// The engine applied all but some ports; put back the configuration from before, so a file
    /// serves whole or not at all, and try the unchanged file again after the retry interval.
    /// </summary>
    private ConfigLoadStatus RollBack(ApplyResult applied, IReadOnlyList<ConfigObject> objects)
    {
        _retryApply = true;
        RestoreServing();

        var lines = applied.Failures.Select(f =>
        {
            var origin = objects.FirstOrDefault(o => o.ApiObject is Service s &&
                s.Metadata.Namespace == f.Id.Namespace && s.Metadata.Name == f.Id.Name).Origin;
            return $"{Path}: {(origin is null ? "" : origin + ": ")}service port {f.Id}: cannot serve: {f.Reason}";
        });
        return Fail(string.Join('\n', lines));
    }

    private static string Where(ConfigError error, Dictionary<object, string> origins) =>
        error.ApiObject is not null && origins.TryGetValue(error.ApiObject, out var origin) ? origin + ": " : "";

    private ConfigLoadStatus Fail(string message)
    {
        if (!_logFailures)
        {
            // Load's caller reports it.
        }
        else if (_history.LastSuccess is null)
        {
            ConfigLog.FirstLoadFailed(_logger, message);
        }
        else
        {
            ConfigLog.LoadFailed(_logger, message, _serving.Ports.Length);
        }

        return Publish(false, message);
    }

    private ConfigLoadStatus Publish(bool succeeded, string message)
    {
        var status = _history.Record(_time.GetUtcNow(), succeeded, message, _serving.Ports.Length);
        _status = status;
        return status;
    }

    private void LogChanges(ProxySnapshot previous, ProxySnapshot current)
    {
        var diff = SnapshotDiff.Compute(previous, current);
        foreach (var spec in diff.Added.Concat(diff.Changed.Select(c => c.New)))
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                ConfigLog.Serving(_logger, spec.Id.ToString(), spec.Protocol == L4Protocol.Udp ? "UDP" : "TCP",
                    string.Join(", ", _target.Describe(spec)), spec.Endpoints.Length);
            }
        }

        foreach (var spec in diff.Removed)
        {
            ConfigLog.Removed(_logger, spec.Id.ToString());
        }
    }
}
