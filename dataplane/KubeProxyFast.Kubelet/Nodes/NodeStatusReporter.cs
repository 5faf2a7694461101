using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client;
using Microsoft.Extensions.Logging;
using V1Node = KubeProxyFast.Api.Core.Node;

namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// Posts the node's status (Kubernetes' <c>updateNodeStatus</c>): every update frequency, and at
/// once when readiness changes (checked every readiness interval). Each update reads the Node,
/// builds the four conditions (Ready only while every <see cref="INodeReadinessCheck"/> passes)
/// and sends a strategic merge patch of <c>nodes/status</c> holding the conditions (their new
/// heartbeat) and, only when they differ from what is stored, the addresses (replaced whole),
/// capacity, allocatable and nodeInfo of the <see cref="NodeDescription"/>. A failed update is
/// retried after a second, then the frequency resumes.
/// </summary>
public sealed partial class NodeStatusReporter : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly KubeClient _client;
    private readonly NodeDescription _description;
    private readonly IReadOnlyList<INodeReadinessCheck> _checks;
    private readonly TimeSpan _frequency;
    private readonly TimeSpan _readinessInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _poke = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile NodeReadiness? _reported;
    private Task? _loop;
    private long _updates;

    /// <summary>The reporter of <paramref name="description"/>'s node.</summary>
    /// <param name="client">The apiserver.</param>
    /// <param name="description">What the node says of itself.</param>
    /// <param name="checks">What Ready depends on (the runtime, the network).</param>
    /// <param name="updateFrequency"><c>--node-status-update-frequency</c>.</param>
    /// <param name="readinessInterval">How often readiness is checked between updates (a change is posted at once).</param>
    /// <param name="time">The clock of timers and condition times.</param>
    /// <param name="logger">Where failures are logged.</param>
    public NodeStatusReporter(KubeClient client, NodeDescription description, IReadOnlyList<INodeReadinessCheck> checks,
        TimeSpan updateFrequency, TimeSpan readinessInterval, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(updateFrequency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(readinessInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _description = description;
        _checks = checks;
        _frequency = updateFrequency;
        _readinessInterval = readinessInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>The readiness last written to the Node; null before the first update succeeded.</summary>
    public NodeReadiness? Reported => _reported;

    /// <summary>Successful status updates so far.</summary>
    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>Called (on the reporter's loop) after an update wrote a readiness other than the one before.</summary>
    public Action<NodeReadiness>? ReadinessChanged { get; set; }

    /// <summary>Starts the loop: an update at once, then as described above, until disposed.</summary>
    public void Start() => _loop ??= Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>Asks for an update now (readiness may have changed: the network became ready).</summary>
    public void Trigger() => Volatile.Read(ref _poke).TrySetResult();

    /// <summary>Runs the readiness checks: null when all pass, else their reasons joined.</summary>
    public async Task<string?> CheckReadinessAsync(CancellationToken cancellationToken)
    {
        List<string>? problems = null;
        foreach (var check in _checks)
        {
            string? problem;
            try
            {
                problem = await check.CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problem = $"readiness check failed: {e.Message}";
            }

            if (problem is not null)
            {
                (problems ??= []).Add(problem);
            }
        }

        return problems is null ? null : string.Join(", ", problems);
    }

    /// <summary>One update: check readiness, read the Node, patch its status. Returns what was written.</summary>
    /// <exception cref="KubeApiException">The apiserver refused (404 when the Node is gone).</exception>
    /// <exception cref="KubeConnectionException">The apiserver is unreachable.</exception>
    public async Task<NodeReadiness> UpdateOnceAsync(CancellationToken cancellationToken)
    {
        var notReady = await CheckReadinessAsync(cancellationToken).ConfigureAwait(false);
        var node = await _client.GetAsync<V1Node>(null, _description.NodeName, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var patch = StatusPatch(node.Status, notReady, now);
        await _client.PatchStatusAsync<V1Node>(null, _description.NodeName, PatchType.StrategicMerge, patch, cancellationToken).ConfigureAwait(false);
        var written = new NodeReadiness(notReady is null, notReady ?? NodeConditions.ReadyMessage, now);
        var before = _reported;
        _reported = written;
        Interlocked.Increment(ref _updates);
        if (before is null || before.Ready != written.Ready || before.Message != written.Message)
        {
            NodeLog.ReadinessWritten(_logger, _description.NodeName, written.Ready, written.Message);
            ReadinessChanged?.Invoke(written);
        }

        return written;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var due = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var poke = Volatile.Read(ref _poke);
            var now = _time.GetUtcNow();
            var update = now >= due || poke.Task.IsCompleted;
            if (!update && _reported is { } reported)
            {
                // Between updates only readiness is looked at; a change is posted at once.
                var notReady = await CheckReadinessAsync(cancellationToken).ConfigureAwait(false);
                update = reported.Ready != (notReady is null) || (notReady is not null && notReady != reported.Message);
            }

            if (update)
            {
                if (poke.Task.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _poke, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), poke);
                }

                try
                {
                    await UpdateOnceAsync(cancellationToken).ConfigureAwait(false);
                    due = _time.GetUtcNow() + _frequency;
                }
                catch (Exception e) when (e is KubeApiException or KubeConnectionException or HttpRequestException or KubeDecodeException or TimeoutException
                    && !cancellationToken.IsCancellationRequested)
                {
                    NodeLog.StatusUpdateFailed(_logger, _description.NodeName, e);
                    var retry = _time.GetUtcNow() + (RetryAfterFailure < _frequency ? RetryAfterFailure : _frequency);
                    due = retry;
                }
            }

            var wait = due - _time.GetUtcNow();
            if (wait > _readinessInterval)
            {
                wait = _readinessInterval;
            }

            if (wait > TimeSpan.Zero)
            {
                await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits <paramref name="wait"/> or until <see cref="Trigger"/>.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, _time, timer.Token);
        await Task.WhenAny(delay, Volatile.Read(ref _poke).Task).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// The strategic merge patch of <c>status</c> from <paramref name="current"/> to what the node
    /// reports at <paramref name="now"/>: the conditions always, the rest only where it differs.
    /// </summary>
    internal string StatusPatch(NodeStatus? current, string? notReadyReason, DateTimeOffset now)
    {
        var status = new NodeStatus { Conditions = NodeConditions.Build(current?.Conditions, notReadyReason, now) };
        if (!SameQuantities(current?.Capacity, _description.Capacity))
        {
            status.Capacity = new Dictionary<string, Api.Resources.Quantity>(_description.Capacity, StringComparer.Ordinal);
        }

        if (!SameQuantities(current?.Allocatable, _description.Allocatable))
        {
            status.Allocatable = new Dictionary<string, Api.Resources.Quantity>(_description.Allocatable, StringComparer.Ordinal);
        }

        if (current?.NodeInfo is not { } info || !SameInfo(info, _description.NodeInfo))
        {
            status.NodeInfo = NodeDescription.CopyInfo(_description.NodeInfo);
        }

        var replaceAddresses = !SameAddresses(current?.Addresses, _description.Addresses);
        if (replaceAddresses)
        {
            status.Addresses = [.. _description.Addresses.Select(a => new NodeAddress { Type = a.Type, Address = a.Address })];
        }

        var body = System.Text.Json.Nodes.JsonNode.Parse(KubeJson.Serialize(status))!.AsObject();
        if (replaceAddresses)
        {
            // addresses merge by type; "$patch: replace" makes the list exactly ours (a stale
            // address of another type would otherwise stay), as the kubelet's patch does.
            body["addresses"]!.AsArray().Insert(0, new System.Text.Json.Nodes.JsonObject { ["$patch"] = "replace" });
        }

        return new System.Text.Json.Nodes.JsonObject { ["status"] = body }.ToJsonString();
    }

    /// <summary>True when every quantity of <paramref name="desired"/> is in <paramref name="current"/> with an equal value.</summary>
    private static bool SameQuantities(Dictionary<string, Api.Resources.Quantity>? current, IReadOnlyDictionary<string, Api.Resources.Quantity> desired)
    {
        if (current is null)
        {
            return desired.Count == 0;
        }

        foreach (var (name, value) in desired)
        {
            if (!current.TryGetValue(name, out var now) || Api.Resources.Quantity.Compare(now, value) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameAddresses(List<NodeAddress>? current, IReadOnlyList<NodeAddress> desired)
    {
        if (current is null || current.Count != desired.Count)
        {
            return false;
        }

        for (var i = 0; i < desired.Count; i++)
        {
            if (current[i].Type != desired[i].Type || current[i].Address != desired[i].Address)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameInfo(NodeSystemInfo a, NodeSystemInfo b) =>
        a.MachineID == b.MachineID && a.SystemUUID == b.SystemUUID && a.BootID == b.BootID && a.KernelVersion == b.KernelVersion
        && a.OsImage == b.OsImage && a.ContainerRuntimeVersion == b.ContainerRuntimeVersion && a.KubeletVersion == b.KubeletVersion
        && a.OperatingSystem == b.OperatingSystem && a.Architecture == b.Architecture;
}

/// <summary>What the node last said of its readiness.</summary>
/// <param name="Ready">The Ready condition is True.</param>
/// <param name="Message">Its message: <c>kubelet is posting ready status</c>, or why not ready.</param>
/// <param name="At">When it was written.</param>
public sealed record NodeReadiness(bool Ready, string Message, DateTimeOffset At);
