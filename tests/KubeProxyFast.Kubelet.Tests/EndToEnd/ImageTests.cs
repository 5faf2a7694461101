using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>Images: an archive in agent/images/ imported at start, a pull from a plain-HTTP registry, a missing image's back-off with the registry's answer.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class ImageTests(SharedNode shared)
{
    [Fact]
    public async Task ImageArchive_ImportedOffline_PodRunsWithPullPolicyNever()
    {
        var node = shared.Node;
        // No registry serves localhost/… in the node's namespace: only the imported archive has it.
        var pod = new PodBuilder(node, E2e.Unique("offline")).Container("c", "exec sleep 3600", image: E2eImages.Offline, pullPolicy: "Never");
        await node.CreatePodAsync(pod);
        try
        {
            var running = await node.WaitRunningAsync(pod);

            var status = E2e.ContainerStatus(running, "c")!;
            Assert.Contains(E2eImages.Offline, (string?)status["image"], StringComparison.Ordinal);
            Assert.Contains("sha256:", (string?)status["imageID"], StringComparison.Ordinal);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task Registry_PullPolicyAlways_PulledOverPlainHttpAndRuns()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("pulled")).Container("c", "exec sleep 3600", image: E2eImages.Pushed, pullPolicy: "Always");
        await node.CreatePodAsync(pod);
        try
        {
            var running = await node.WaitRunningAsync(pod);

            var status = E2e.ContainerStatus(running, "c")!;
            Assert.Equal(E2eImages.Pushed, (string?)status["image"]);
            Assert.Contains("sha256:", (string?)status["imageID"], StringComparison.Ordinal);
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }

    [Fact]
    public async Task MissingImage_ErrImagePullThenImagePullBackOff_WithTheRegistrysAnswer()
    {
        var node = shared.Node;
        var pod = new PodBuilder(node, E2e.Unique("missing")).Container("c", "exec sleep 3600", image: E2eImages.Missing, pullPolicy: "Always");
        await node.CreatePodAsync(pod);
        try
        {
            var seen = new List<(string? Reason, string? Message)>();
            var last = await node.WaitPodAsync(pod, p =>
            {
                var state = (E2e.WaitingReason(p, "c"), E2e.WaitingMessage(p, "c"));
                if (state.Item1 is not null && !seen.Contains(state))
                {
                    seen.Add(state);
                }

                return state.Item1 == "ImagePullBackOff";
            }, "ImagePullBackOff");

            Assert.Equal("Pending", E2e.Phase(last));
            Assert.All(seen, s => Assert.Contains(s.Reason, (string[])["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]));
            // containerd's words for the registry's 404: "…127.0.0.1:5000/kpf/missing:1: not found".
            Assert.Contains(seen, s => s.Reason is "ErrImagePull" or "ImagePullBackOff"
                && s.Message?.Contains(E2eImages.Missing, StringComparison.Ordinal) == true
                && s.Message.Contains("not found", StringComparison.Ordinal));
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
        }
    }
}
