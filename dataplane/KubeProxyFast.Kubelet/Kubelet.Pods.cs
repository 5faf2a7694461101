using KubeProxyFast.Kubelet.Node;

namespace KubeProxyFast.Kubelet;

// The pod side: network manager, probe manager, status manager and pod workers, wired here as
// they land on main.
public sealed partial class Kubelet
{
    private static Task StartPodsAsync(KubeletLayout layout, CancellationToken cancellationToken)
    {
        _ = layout;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    /// <summary>What the node's Ready condition waits for: the runtime (CRI Status: RuntimeReady and NetworkReady).</summary>
    private List<INodeReadinessCheck> ReadinessChecks() => [new CriRuntimeReadiness(Cri)];
}
