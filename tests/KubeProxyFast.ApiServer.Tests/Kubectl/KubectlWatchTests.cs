using System.Diagnostics;
using KubeProxyFast.ApiServer.Tests.Api;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary><c>kubectl get -w</c>: the list first, then a line per change as it happens.</summary>
public abstract class KubectlWatchTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Fact]
    public async Task GetWatch_PodChangesPhase_PrintsNewRow()
    {
        await ApiJson.Created(Server, "/api/v1/namespaces/default/pods", ApiJson.Pod("watched"));
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", Server.KubeconfigPath, "get", "pods", "-w" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["HOME"] = Server.Directory;
        using var kubectl = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var header = await kubectl.StandardOutput.ReadLineAsync(timeout.Token);
            var first = await kubectl.StandardOutput.ReadLineAsync(timeout.Token);
            await Server.PatchAsync("/api/v1/namespaces/default/pods/watched/status", """{"status":{"phase":"Running"}}""", "application/merge-patch+json");
            var changed = await kubectl.StandardOutput.ReadLineAsync(timeout.Token);

            Assert.Matches(@"^NAME\s+READY\s+STATUS", header);
            Assert.Matches(@"^watched\s+0/1\s+Pending", first);
            Assert.Matches(@"^watched\s+0/1\s+Running", changed);
        }
        finally
        {
            kubectl.Kill(entireProcessTree: true);
            await kubectl.WaitForExitAsync();
        }
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class KubectlWatchOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : KubectlWatchTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class KubectlWatchOnEtcdTests(EtcdStoreBackend backend) : KubectlWatchTests(backend), IClassFixture<EtcdStoreBackend>;
