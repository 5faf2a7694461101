using KubeProxyFast.Api.Core;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Kubelet.Images;
using KubeProxyFast.Kubelet.Network;
using KubeProxyFast.Kubelet.Nodes;
using KubeProxyFast.Kubelet.PodConfig;
using KubeProxyFast.Kubelet.Pods;
using KubeProxyFast.Kubelet.Pods.Status;
using KubeProxyFast.Kubelet.Probes;
using Microsoft.Extensions.Logging;
using CriContainerState = KubeProxyFast.Kubelet.Cri.V1.ContainerState;

namespace KubeProxyFast.Kubelet;

// The pod side: the pod network's CNI config for the Node's podCIDR, the image manager, the probe
// manager, the status manager and the pod workers, fed by the pods informer.
public sealed partial class Kubelet
{
    /// <summary>How often pods left in the runtime without an API object are looked for.</summary>
    private static readonly TimeSpan HousekeepingPeriod = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _running = new();

    /// <summary>The pod network (CNI config, host-gw routes, masquerade).</summary>
    public PodNetworkManager Network { get; private set; } = null!;

    /// <summary>The pod workers (one per pod).</summary>
    public PodWorkers Workers { get; private set; } = null!;

    /// <summary>The probe manager.</summary>
    public ProbeManager Probes { get; private set; } = null!;

    /// <summary>The pod status manager.</summary>
    public PodStatusManager PodStatus { get; private set; } = null!;

    /// <summary>The image manager.</summary>
    public ImageManager Images { get; private set; } = null!;

    private async Task StartPodsAsync(CancellationToken cancellationToken)
    {
        var running = _running;
        _cleanup.Add(async () =>
        {
            await running.CancelAsync().ConfigureAwait(false);
            running.Dispose();
        });

        // The pod network: the CNI config for the Node's podCIDR (containerd runs it for every
        // sandbox), host-gw routes to the other nodes' podCIDRs, masquerade of pod traffic leaving
        // the cluster CIDR. The status reporter hears at once when it becomes ready.
        Network = new PodNetworkManager(Options, LoggerFactory);
        var network = Network;
        _cleanup.Add(network.DisposeAsync);
        await network.StartAsync(Informers.InformerFor<Api.Core.Node>(), cancellationToken).ConfigureAwait(false);
        _ = network.WaitReadyAsync(running.Token).ContinueWith(
            _ => Status?.Trigger(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

        Images = new ImageManager(Cri, LoggerFactory.CreateLogger<ImageManager>(), Time);

        var prober = new Prober(Cri.Runtime, Time);
        _cleanup.Add(() =>
        {
            prober.Dispose();
            return ValueTask.CompletedTask;
        });
        Probes = new ProbeManager(prober, Time, LoggerFactory.CreateLogger<ProbeManager>());
        var probes = Probes;
        _cleanup.Add(probes.DisposeAsync);

        PodStatus = new PodStatusManager(Client, Time, LoggerFactory.CreateLogger<PodStatusManager>());
        var podStatus = PodStatus;
        var writers = Task.Run(() => podStatus.RunAsync(running.Token), CancellationToken.None);
        _cleanup.Add(async () =>
        {
            await running.CancelAsync().ConfigureAwait(false);
            try
            {
                await writers.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            podStatus.Dispose();
        });

        var config = new KubeletPodConfigSource(
            new PodDns(Options.ClusterDns, Options.ClusterDomain, Options.ResolvConf),
            new PodVolumes(Options.DataDirectory),
            Informers.InformerFor<Service>().Lister,
            new PodObjectReader(Client),
            HostIp,
            () => Description.Allocatable,
            Machine.MemoryBytes);
        var syncer = new PodSyncer(Cri.Runtime, Images.EnsureImageAsync, config, Options, Time, LoggerFactory.CreateLogger<PodSyncer>());
        var sink = new PodStatusSink(this, new PodStatusBuilder(RuntimeName));
        Workers = new PodWorkers(syncer, sink, Options, Time, LoggerFactory.CreateLogger<PodWorkers>());
        var workers = Workers;
        _cleanup.Add(workers.DisposeAsync);

        Probes.LivenessFailed += failure => workers.OnLivenessFailure(failure.PodUid, failure.ContainerId);
        Probes.ResultsChanged += workers.Kick;

        // A container that exits (or a sandbox that dies) wakes its pod's worker within a second.
        var events = new PodLifecycleEvents(Cri.Runtime, workers.Kick, Time, LoggerFactory.CreateLogger<PodLifecycleEvents>());
        _cleanup.Add(events.DisposeAsync);

        try
        {
            await Workers.AdoptAsync(Pods.Lister.List(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Grpc.Core.RpcException && !cancellationToken.IsCancellationRequested)
        {
            KubeletLog.AdoptFailed(_logger, e);
        }

        events.Start();

        // Housekeeping, as Kubernetes': pods the runtime holds that the API no longer has (deleted
        // while the kubelet was down, or when adoption could not reach the runtime) are removed.
        var pods = Pods;
        var housekeeping = Task.Run(async () =>
        {
            while (!running.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(HousekeepingPeriod, Time, running.Token).ConfigureAwait(false);
                    await workers.RemoveOrphansAsync(pods.Lister.List().Select(p => p.Metadata.Uid).OfType<string>(), running.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (running.IsCancellationRequested)
                {
                    return;
                }
                catch (Grpc.Core.RpcException e)
                {
                    KubeletLog.HousekeepingFailed(_logger, e);
                }
            }
        }, CancellationToken.None);
        _cleanup.Add(async () =>
        {
            await running.CancelAsync().ConfigureAwait(false);
            await housekeeping.ConfigureAwait(false);
        });

        // Informers stop after the workers (reverse start order): a late event is dropped then.
        void Update(Pod pod)
        {
            if (!running.IsCancellationRequested && pod.Metadata.Uid is not null)
            {
                try
                {
                    workers.UpdatePod(pod);
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }

        Pods.AddEventHandler(new ResourceHandler<Pod>
        {
            OnAdd = Update,
            OnUpdate = (_, pod) => Update(pod),
            OnDelete = pod =>
            {
                if (!running.IsCancellationRequested && pod.Metadata.Uid is { } uid)
                {
                    workers.RemovePod(uid);
                }
            },
        });
    }

    /// <summary>
    /// What the node's Ready condition waits for: the runtime (CRI Status: RuntimeReady and
    /// NetworkReady, the latter true once containerd found our CNI config) and the Node's podCIDR.
    /// </summary>
    private List<INodeReadinessCheck> ReadinessChecks() =>
    [
        new CriRuntimeReadiness(Cri),
        DelegateReadinessCheck.Of(() => Network.Ready ? null : "network not ready: " + Network.NotReadyReason),
    ];

    /// <summary>The node's InternalIP, the pods' hostIP.</summary>
    private string? HostIp() => Description.Addresses.FirstOrDefault(a => a.Type == NodeAddressTypes.InternalIP)?.Address;

    /// <summary>
    /// Where the pod workers report: running containers to the probe manager (a container no longer
    /// running leaves it), then the pod's v1 status, built from the runtime state and the probes'
    /// verdicts, to the status manager; a terminated pod lets the status manager complete its deletion.
    /// </summary>
    private sealed class PodStatusSink(Kubelet kubelet, PodStatusBuilder builder) : IPodStatusSink
    {
        public void PodSynced(Pod pod, PodRuntimeState state) => Report(pod, state, terminal: false);

        public void PodTerminated(Pod pod, PodRuntimeState state)
        {
            if (pod.Metadata.Uid is { } uid)
            {
                kubelet.Probes.RemovePod(uid);
            }

            Report(pod, state, terminal: true);
            kubelet.PodStatus.PodTerminated(pod);
        }

        public void PodRemoved(string uid)
        {
            kubelet.Probes.RemovePod(uid);
            kubelet.PodStatus.ForgetPod(uid);
        }

        private void Report(Pod pod, PodRuntimeState state, bool terminal)
        {
            var uid = pod.Metadata.Uid!;
            try
            {
                if (!terminal)
                {
                    UpdateProbes(pod, state);
                }

                kubelet.PodStatus.TryGetPodStatus(uid, out var old);
                var status = builder.Build(pod, state, kubelet.Probes, kubelet.HostIp(), kubelet.Time.GetUtcNow(), old, podIsTerminal: terminal);
                kubelet.PodStatus.SetPodStatus(pod, status);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectDisposedException)
            {
                KubeletLog.SinkFailed(kubelet._logger, $"{pod.Metadata.Namespace}/{pod.Metadata.Name}", e);
            }
        }

        private void UpdateProbes(Pod pod, PodRuntimeState state)
        {
            var podIp = state.Sandbox?.Network?.Ip is { Length: > 0 } ip ? ip : null;
            foreach (var container in pod.Spec?.Containers ?? [])
            {
                if (state.Containers.TryGetValue(container.Name, out var instances) && instances.Count > 0
                    && instances[0].State == CriContainerState.ContainerRunning)
                {
                    var newest = instances[0];
                    var started = DateTimeOffset.UnixEpoch.AddTicks(newest.StartedAt / 100);
                    kubelet.Probes.UpdateContainer(pod, container, newest.Id, started, podIp);
                }
                else
                {
                    kubelet.Probes.RemoveContainer(pod.Metadata.Uid!, container.Name);
                }
            }
        }
    }
}
