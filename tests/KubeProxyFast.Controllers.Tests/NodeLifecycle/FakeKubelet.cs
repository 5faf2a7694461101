using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Controllers.NodeLifecycle;

namespace KubeProxyFast.Controllers.Tests.NodeLifecycle;

/// <summary>
/// What a kubelet writes about its node, done by the test: registration, status heartbeats (the
/// Ready condition), Lease renewals, its pods and their Ready condition; and, started, a loop
/// renewing the Lease as a live kubelet does, until disposed.
/// </summary>
internal sealed class FakeKubelet(KubeClient client, string nodeName) : IAsyncDisposable
{
    private CancellationTokenSource? _renewing;
    private Task _renewLoop = Task.CompletedTask;
    private volatile string _ready = ConditionStatuses.True;

    public string NodeName { get; } = nodeName;

    /// <summary>Creates the node and posts Ready=<paramref name="ready"/> with a heartbeat now.</summary>
    public async Task RegisterAsync(string ready = ConditionStatuses.True)
    {
        await client.CreateAsync(new Node { Metadata = new ObjectMeta { Name = NodeName }, Spec = new NodeSpec() });
        await PostStatusAsync(ready);
    }

    /// <summary>Posts the node's Ready condition with a new heartbeat (and a new transition time when it changes).</summary>
    public async Task PostStatusAsync(string ready = ConditionStatuses.True)
    {
        _ready = ready;
        var now = DateTimeOffset.UtcNow;
        var node = await client.GetAsync<Node>(null, NodeName);
        var conditions = (node.Status ??= new NodeStatus()).Conditions ??= [];
        foreach (var type in new[] { "Ready", "MemoryPressure", "DiskPressure", "PIDPressure" })
        {
            var status = type == "Ready" ? ready : ConditionStatuses.False;
            var condition = conditions.Find(c => c.Type == type);
            if (condition is null)
            {
                conditions.Add(condition = new NodeCondition { Type = type, LastTransitionTime = now });
            }
            else if (condition.Status != status)
            {
                condition.LastTransitionTime = now;
            }

            condition.Status = status;
            condition.Reason = "KubeletReady";
            condition.Message = "kubelet is posting ready status";
            condition.LastHeartbeatTime = now;
        }

        await client.UpdateStatusAsync(node);
    }

    /// <summary>Renews (or creates) the node's Lease in kube-node-lease.</summary>
    public async Task RenewLeaseAsync()
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            var lease = await client.GetAsync<Lease>(NodeLifecycleController.NodeLeaseNamespace, NodeName);
            lease.Spec!.RenewTime = now;
            await client.UpdateAsync(lease);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            await client.CreateAsync(new Lease
            {
                Metadata = new ObjectMeta { Name = NodeName, Namespace = NodeLifecycleController.NodeLeaseNamespace },
                Spec = new LeaseSpec { HolderIdentity = NodeName, LeaseDurationSeconds = 40, RenewTime = now },
            });
        }
    }

    /// <summary>
    /// Renews the Lease every <paramref name="interval"/> until disposed, as a live kubelet, and
    /// posts its status again when the node's Ready condition is not what it posted (a kubelet's
    /// status sync: a machine slow enough to let the grace period pass heals as a real one does).
    /// </summary>
    public void StartRenewing(TimeSpan interval)
    {
        _renewing = new CancellationTokenSource();
        var stop = _renewing.Token;
        _renewLoop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                await RenewLeaseAsync();
                var node = await client.GetAsync<Node>(null, NodeName);
                var ready = _ready;
                if (node.Status?.Conditions?.Find(c => c.Type == "Ready")?.Status != ready)
                {
                    await PostStatusAsync(ready);
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        });
    }

    /// <summary>Creates a pod bound to this node whose Ready condition is True.</summary>
    public async Task<Pod> RunPodAsync(string name)
    {
        await client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new PodSpec { NodeName = NodeName, Containers = [new Container { Name = "c", Image = "registry.invalid/app" }] },
        });
        var pod = await client.GetAsync<Pod>("default", name);
        var now = DateTimeOffset.UtcNow;
        pod.Status = new PodStatus
        {
            Phase = "Running",
            Conditions = [new PodCondition { Type = PodConditionTypes.Ready, Status = ConditionStatuses.True, LastTransitionTime = now }],
        };
        return await client.UpdateStatusAsync(pod);
    }

    public async ValueTask DisposeAsync()
    {
        if (_renewing is not null)
        {
            await _renewing.CancelAsync();
            try
            {
                await _renewLoop;
            }
            catch (OperationCanceledException)
            {
            }

            _renewing.Dispose();
        }
    }
}
