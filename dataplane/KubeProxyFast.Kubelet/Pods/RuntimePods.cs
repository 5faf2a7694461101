using Grpc.Core;
using KubeProxyFast.Kubelet.Cri.V1;

namespace KubeProxyFast.Kubelet.Pods;

/// <summary>
/// One pod as the runtime holds it, found by the kubelet's labels: its sandboxes (newest first) and,
/// per container name, every instance (newest first).
/// </summary>
/// <param name="Uid">The pod's uid (label <see cref="KubeletLabels.PodUid"/>).</param>
/// <param name="Name">The pod's name when it was created.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Sandboxes">Every sandbox of the pod, newest first.</param>
/// <param name="Containers">Every container instance by name, newest first.</param>
public sealed record RuntimePod(
    string Uid,
    string Name,
    string Namespace,
    IReadOnlyList<PodSandboxStatus> Sandboxes,
    IReadOnlyDictionary<string, IReadOnlyList<ContainerStatus>> Containers)
{
    /// <summary>The newest sandbox, or null.</summary>
    public PodSandboxStatus? Sandbox => Sandboxes.Count > 0 ? Sandboxes[0] : null;

    /// <summary>An empty record for a pod the runtime holds nothing of.</summary>
    public static RuntimePod Empty(string uid, string name, string ns) =>
        new(uid, name, ns, [], new Dictionary<string, IReadOnlyList<ContainerStatus>>());

    /// <summary>The newest instance of a container, or null.</summary>
    public ContainerStatus? Newest(string container) =>
        Containers.TryGetValue(container, out var list) && list.Count > 0 ? list[0] : null;
}

/// <summary>
/// Reads what the runtime holds for the kubelet's pods: ListPodSandbox and ListContainers filtered by
/// <see cref="KubeletLabels"/>, then PodSandboxStatus/ContainerStatus for the details a sync needs
/// (IPs, exit codes, times). Used by the sync of one pod, by adoption at start and by cleanup.
/// </summary>
public sealed class RuntimePods
{
    private readonly RuntimeService.RuntimeServiceClient _runtime;

    /// <summary>Reads through <paramref name="runtime"/>.</summary>
    public RuntimePods(RuntimeService.RuntimeServiceClient runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
    }

    /// <summary>Every pod the runtime holds for this kubelet, by uid.</summary>
    public async Task<IReadOnlyDictionary<string, RuntimePod>> ListAsync(CancellationToken ct)
    {
        var sandboxes = await _runtime.ListPodSandboxAsync(new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { LabelSelector = { [KubeletLabels.ManagedBy] = "true" } },
        }, cancellationToken: ct).ConfigureAwait(false);
        var containers = await _runtime.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { LabelSelector = { [KubeletLabels.ManagedBy] = "true" } },
        }, cancellationToken: ct).ConfigureAwait(false);
        return await BuildAsync(sandboxes.Items, containers.Containers, ct).ConfigureAwait(false);
    }

    /// <summary>What the runtime holds of one pod (an empty record when nothing).</summary>
    public async Task<RuntimePod> GetAsync(string uid, string name, string ns, CancellationToken ct)
    {
        var sandboxes = await _runtime.ListPodSandboxAsync(new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { LabelSelector = { [KubeletLabels.PodUid] = uid, [KubeletLabels.ManagedBy] = "true" } },
        }, cancellationToken: ct).ConfigureAwait(false);
        var containers = await _runtime.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { LabelSelector = { [KubeletLabels.PodUid] = uid, [KubeletLabels.ManagedBy] = "true" } },
        }, cancellationToken: ct).ConfigureAwait(false);
        var pods = await BuildAsync(sandboxes.Items, containers.Containers, ct).ConfigureAwait(false);
        return pods.TryGetValue(uid, out var pod) ? pod : RuntimePod.Empty(uid, name, ns);
    }

    private async Task<IReadOnlyDictionary<string, RuntimePod>> BuildAsync(
        IEnumerable<PodSandbox> sandboxes, IEnumerable<Container> containers, CancellationToken ct)
    {
        var sandboxesByPod = new Dictionary<string, List<PodSandboxStatus>>();
        var names = new Dictionary<string, (string Name, string Namespace)>();
        foreach (var sandbox in sandboxes)
        {
            if (!sandbox.Labels.TryGetValue(KubeletLabels.PodUid, out var uid))
            {
                continue;
            }

            var status = await SandboxStatusAsync(sandbox.Id, ct).ConfigureAwait(false);
            if (status is null)
            {
                continue; // removed between the list and the status
            }

            Add(sandboxesByPod, uid, status);
            names.TryAdd(uid, (sandbox.Metadata?.Name ?? "", sandbox.Metadata?.Namespace ?? ""));
        }

        var containersByPod = new Dictionary<string, Dictionary<string, List<ContainerStatus>>>();
        foreach (var container in containers)
        {
            if (!container.Labels.TryGetValue(KubeletLabels.PodUid, out var uid) ||
                !container.Labels.TryGetValue(KubeletLabels.ContainerName, out var name))
            {
                continue;
            }

            var status = await ContainerStatusAsync(container.Id, ct).ConfigureAwait(false);
            if (status is null)
            {
                continue;
            }

            if (!containersByPod.TryGetValue(uid, out var byName))
            {
                containersByPod[uid] = byName = [];
            }

            Add(byName, name, status);
            names.TryAdd(uid, (container.Labels.GetValueOrDefault(KubeletLabels.PodName, ""), container.Labels.GetValueOrDefault(KubeletLabels.PodNamespace, "")));
        }

        var pods = new Dictionary<string, RuntimePod>();
        foreach (var (uid, (name, ns)) in names)
        {
            var podSandboxes = sandboxesByPod.TryGetValue(uid, out var s)
                ? s.OrderByDescending(x => x.CreatedAt).ToList()
                : [];
            var podContainers = new Dictionary<string, IReadOnlyList<ContainerStatus>>();
            if (containersByPod.TryGetValue(uid, out var byName))
            {
                foreach (var (containerName, list) in byName)
                {
                    podContainers[containerName] = list.OrderByDescending(x => x.CreatedAt).ToList();
                }
            }

            pods[uid] = new RuntimePod(uid, name, ns, podSandboxes, podContainers);
        }

        return pods;
    }

    private async Task<PodSandboxStatus?> SandboxStatusAsync(string id, CancellationToken ct)
    {
        try
        {
            var response = await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = id }, cancellationToken: ct).ConfigureAwait(false);
            return response.Status;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<ContainerStatus?> ContainerStatusAsync(string id, CancellationToken ct)
    {
        try
        {
            var response = await _runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id }, cancellationToken: ct).ConfigureAwait(false);
            return response.Status;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
