namespace KubeProxyFast.Kubelet;

// The container runtime: the one named by --container-runtime-endpoint. The embedded containerd
// and the image archives are wired here once the runtime's classes are on main.
public sealed partial class Kubelet
{
    private Task StartRuntimeAsync(KubeletLayout layout, CancellationToken cancellationToken)
    {
        _ = layout;
        cancellationToken.ThrowIfCancellationRequested();
        RuntimeEndpoint = Options.ContainerRuntimeEndpoint
            ?? throw new KubeletStartException("no --container-runtime-endpoint given, and this build cannot start an embedded containerd yet");
        return Task.CompletedTask;
    }

    private static Task PrepareImagesAsync(KubeletLayout layout, CancellationToken cancellationToken)
    {
        _ = layout;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }
}
