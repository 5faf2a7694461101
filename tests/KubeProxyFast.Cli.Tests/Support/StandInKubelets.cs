using System.Collections.Concurrent;
using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Client;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>
/// What the kubelets of a few nodes would write, written by the test (a real kubelet comes in its
/// own issue): each node registered Ready with allocatable cpu, memory and pods and its Lease in
/// kube-node-lease; while a node is alive its Lease is renewed every <c>renewInterval</c>, and its
/// pods that are being deleted are deleted for good (grace 0), as a kubelet does once their
/// containers stopped. <see cref="Silence"/> stops a node's kubelet: nothing more is written for it.
/// </summary>
internal sealed class StandInKubelets : IAsyncDisposable
{
    /// <summary>Where node Leases live.</summary>
    public const string LeaseNamespace = "kube-node-lease";

    private readonly KubeClient _client;
    private readonly TimeSpan _renewInterval;
    private readonly ConcurrentDictionary<string, bool> _alive = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StandInKubelets(KubeClient client, TimeSpan renewInterval)
    {
        _client = client;
        _renewInterval = renewInterval;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The last error of the renew loop, for a failing test to show.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Registers Ready nodes (4 cpu, 8 Gi, 110 pods; InternalIP 198.18.0.&lt;i+1&gt;) and their Leases; their kubelets then run.</summary>
    public async Task RegisterAsync(params string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var resources = new Dictionary<string, Quantity>
            {
                ["cpu"] = Quantity.Parse("4"),
                ["memory"] = Quantity.Parse("8Gi"),
                ["pods"] = Quantity.Parse("110"),
            };
            var now = DateTimeOffset.UtcNow;
            await _client.CreateAsync(new Node
            {
                ApiVersion = "v1",
                Kind = "Node",
                Metadata = new ObjectMeta { Name = name, Labels = new() { ["kubernetes.io/hostname"] = name } },
                Spec = new NodeSpec(),
                Status = new NodeStatus
                {
                    Capacity = resources,
                    Allocatable = new(resources),
                    Conditions = [new NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastHeartbeatTime = now, LastTransitionTime = now }],
                    Addresses = [new NodeAddress { Type = NodeAddressTypes.InternalIP, Address = $"198.18.0.{i + 1}" }],
                },
            });
            await _client.CreateAsync(new Lease
            {
                ApiVersion = "coordination.k8s.io/v1",
                Kind = "Lease",
                Metadata = new ObjectMeta { Name = name, Namespace = LeaseNamespace },
                Spec = new LeaseSpec { HolderIdentity = name, LeaseDurationSeconds = 40, RenewTime = now },
            });
            _alive[name] = true;
        }
    }

    /// <summary>The node's kubelet stops: its Lease is no longer renewed and its pods are left as they are.</summary>
    public void Silence(string node) => _alive[node] = false;

    /// <summary>Writes what a kubelet reports once a pod's containers run: phase Running, the pod IP, Ready=True.</summary>
    public async Task MarkRunningAsync(string ns, string name, string podIP)
    {
        for (var attempt = 0; ; attempt++)
        {
            var pod = await _client.GetAsync<Pod>(ns, name);
            var now = DateTimeOffset.UtcNow;
            pod.Status ??= new PodStatus();
            pod.Status.Phase = "Running";
            pod.Status.PodIP = podIP;
            pod.Status.PodIPs = [new PodIP { Ip = podIP }];
            pod.Status.StartTime ??= now;
            pod.Status.Conditions = [new PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now }];
            try
            {
                await _client.UpdateStatusAsync(pod);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 5)
            {
                // A controller wrote the pod in between (its Ready condition): read it again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_renewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await RenewAsync(_stop.Token);
                }
                catch (Exception e) when (e is KubeApiException or KubeConnectionException)
                {
                    // The next tick tries again, as a kubelet does.
                    LastError = e;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        foreach (var (node, alive) in _alive)
        {
            if (!alive)
            {
                continue;
            }

            var lease = await _client.GetAsync<Lease>(LeaseNamespace, node, cancellationToken);
            lease.Spec!.RenewTime = DateTimeOffset.UtcNow;
            await _client.UpdateAsync(lease, cancellationToken);
            var pods = await _client.ListAsync<Pod>(null, new ListOptions { FieldSelector = "spec.nodeName=" + node }, cancellationToken);
            foreach (var pod in pods.Items)
            {
                if (pod.Metadata.DeletionTimestamp is not null)
                {
                    await _client.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken);
                }
            }
        }
    }
}
