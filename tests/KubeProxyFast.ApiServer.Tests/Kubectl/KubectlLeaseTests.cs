using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>Leases through kubectl: found by discovery (aggregated, as kubectl 1.30+ asks first), then get, describe, apply, delete.</summary>
public abstract class KubectlLeaseTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    private const string Manifest = """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: my-lock
          namespace: kube-system
        spec:
          holderIdentity: node-a
          leaseDurationSeconds: 15
          renewTime: "2026-12-06T10:00:00.250000Z"
        """;

    [Fact]
    public void ApiResources_ListsLeasesOfCoordinationGroup_FromAggregatedDiscovery()
    {
        var result = Server.Kubectl("-v=8", "api-resources");
        var output = Ok(result);

        Assert.Matches(@"(?m)^leases\s+coordination\.k8s\.io/v1\s+true\s+Lease\s*$", output);
        Assert.Matches(@"(?m)^pods\s+po\s+v1\s+true\s+Pod\s*$", output);
        // kubectl took the aggregated documents: it never needed a group version's own list.
        Assert.Matches(@"Content-Type: application/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList", result.Stderr);
        Assert.DoesNotContain("GET " + Server.Url.ToString().TrimEnd('/') + "/apis/coordination.k8s.io/v1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyGetDescribeDelete_Lease_RoundTrip()
    {
        Ok(Server.KubectlWithInput(Manifest, "apply", "--validate=false", "-f", "-"));
        var table = Ok(Server.Kubectl("get", "leases", "-n", "kube-system"));
        using var json = JsonDocument.Parse(Ok(Server.Kubectl("get", "lease.coordination.k8s.io", "my-lock", "-n", "kube-system", "-o", "json")));
        var described = Ok(Server.Kubectl("describe", "lease", "my-lock", "-n", "kube-system"));
        Ok(Server.KubectlWithInput(Manifest.Replace("node-a", "node-b", StringComparison.Ordinal), "apply", "--validate=false", "-f", "-"));
        var reapplied = Ok(Server.Kubectl("get", "lease", "my-lock", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}"));
        var deleted = Ok(Server.Kubectl("delete", "lease", "my-lock", "-n", "kube-system"));
        var gone = Server.Kubectl("get", "lease", "my-lock", "-n", "kube-system");

        Assert.Matches(@"NAME\s+HOLDER\s+AGE", table);
        Assert.Matches(@"my-lock\s+node-a\s+\d+s", table);
        Assert.Equal("2026-12-06T10:00:00.250000Z", json.RootElement.GetProperty("spec").GetProperty("renewTime").GetString());
        Assert.Matches(@"Holder Identity:\s+node-a", described);
        Assert.Equal("node-b", reapplied);
        Assert.Contains("lease.coordination.k8s.io \"my-lock\" deleted", deleted, StringComparison.Ordinal);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("leases.coordination.k8s.io \"my-lock\" not found", gone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_InvalidDuration_ReportsField()
    {
        var result = Server.KubectlWithInput(Manifest.Replace("15", "0", StringComparison.Ordinal), "apply", "--validate=false", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0", result.Stderr, StringComparison.Ordinal);
    }

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"kubectl exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class KubectlLeaseOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : KubectlLeaseTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class KubectlLeaseOnEtcdTests(EtcdStoreBackend backend) : KubectlLeaseTests(backend), IClassFixture<EtcdStoreBackend>;
