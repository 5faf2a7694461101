using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>
/// The real kubectl against the real apiserver with the kubeconfig it writes: the commands users
/// run, with their output checked, not only their exit codes.
/// </summary>
public abstract class KubectlTests(ITestStoreBackend backend) : ApiServerSuite(backend)
{
    [Fact]
    public void CreateFromStdin_PodServiceController_AllListed()
    {
        Ok(Server.KubectlWithInput(Manifests.Pod + "\n---\n" + Manifests.Service + "\n---\n" + Manifests.Controller, "create", "--validate=false", "-f", "-"));

        var pods = Ok(Server.Kubectl("get", "pods"));
        var services = Ok(Server.Kubectl("get", "services"));
        var controllers = Ok(Server.Kubectl("get", "rc"));

        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", pods);
        Assert.Matches(@"web-1\s+0/1\s+Pending\s+0", pods);
        Assert.Matches(@"web\s+NodePort\s+198\.19\.\d+\.\d+\s+<none>\s+80:3\d{4}/TCP", services);
        Assert.Matches(@"frontend\s+2\s+0\s+0", controllers);
    }

    [Fact]
    public void GetJson_CreatedPod_HasServerFieldsAndDefaults()
    {
        Ok(Server.KubectlWithInput(Manifests.Pod, "create", "--validate=false", "-f", "-"));

        using var pod = JsonDocument.Parse(Ok(Server.Kubectl("get", "pod", "web-1", "-o", "json")));
        var root = pod.RootElement;

        Assert.Equal("default", root.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.Equal("Always", root.GetProperty("spec").GetProperty("restartPolicy").GetString());
        Assert.Equal("TCP", root.GetProperty("spec").GetProperty("containers")[0].GetProperty("ports")[0].GetProperty("protocol").GetString());
    }

    [Fact]
    public void GetYamlAndWide_Service_ShowsClusterIpAndSelector()
    {
        Ok(Server.KubectlWithInput(Manifests.Service, "create", "--validate=false", "-f", "-"));

        var yaml = Ok(Server.Kubectl("get", "svc", "web", "-o", "yaml"));
        var wide = Ok(Server.Kubectl("get", "svc", "-o", "wide"));

        Assert.Matches(@"clusterIP: 198\.19\.\d+\.\d+", yaml);
        Assert.Contains("targetPort: 8080", yaml, StringComparison.Ordinal);
        Assert.Matches(@"SELECTOR", wide);
        Assert.Matches(@"web\s+NodePort.*app=web", wide);
    }

    [Fact]
    public void GetWithSelector_TwoPods_ListsOnlyMatching()
    {
        Ok(Server.KubectlWithInput(Manifests.Pod, "create", "--validate=false", "-f", "-"));
        Ok(Server.KubectlWithInput(Manifests.Pod.Replace("web-1", "db-1", StringComparison.Ordinal).Replace("app: web", "app: db", StringComparison.Ordinal),
            "create", "--validate=false", "-f", "-"));

        var selected = Ok(Server.Kubectl("get", "pods", "-l", "app=db", "-o", "name"));

        Assert.Equal("pod/db-1", selected.Trim());
    }

    [Fact]
    public void ApplyTwice_ChangedImage_UpdatesInPlace()
    {
        Ok(Server.KubectlWithInput(Manifests.Controller, "apply", "--validate=false", "-f", "-"));
        var first = Ok(Server.Kubectl("get", "rc", "frontend", "-o", "jsonpath={.metadata.uid}"));
        var applied = Ok(Server.KubectlWithInput(Manifests.Controller.Replace("php:8", "php:8.3", StringComparison.Ordinal), "apply", "--validate=false", "-f", "-"));

        var image = Ok(Server.Kubectl("get", "rc", "frontend", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        var second = Ok(Server.Kubectl("get", "rc", "frontend", "-o", "jsonpath={.metadata.uid}"));

        Assert.Contains("replicationcontroller/frontend configured", applied, StringComparison.Ordinal);
        Assert.Equal("php:8.3", image);
        Assert.Equal(first, second);
    }

    [Fact]
    public void LabelAndAnnotate_Pod_ChangesMetadata()
    {
        Ok(Server.KubectlWithInput(Manifests.Pod, "create", "--validate=false", "-f", "-"));

        Ok(Server.Kubectl("label", "pod", "web-1", "tier=front"));
        Ok(Server.Kubectl("annotate", "pod", "web-1", "owner=team-a"));
        Ok(Server.Kubectl("label", "pod", "web-1", "app-"));

        var labels = Ok(Server.Kubectl("get", "pod", "web-1", "-o", "jsonpath={.metadata.labels}"));
        var owner = Ok(Server.Kubectl("get", "pod", "web-1", "-o", "jsonpath={.metadata.annotations.owner}"));
        Assert.Contains("\"tier\":\"front\"", labels, StringComparison.Ordinal);
        Assert.DoesNotContain("\"app\"", labels, StringComparison.Ordinal);
        Assert.Equal("team-a", owner);
    }

    [Fact]
    public void Scale_Controller_SetsReplicas()
    {
        Ok(Server.KubectlWithInput(Manifests.Controller, "create", "--validate=false", "-f", "-"));

        var output = Ok(Server.Kubectl("scale", "rc", "frontend", "--replicas=5"));
        var replicas = Ok(Server.Kubectl("get", "rc", "frontend", "-o", "jsonpath={.spec.replicas}"));

        Assert.Contains("replicationcontroller/frontend scaled", output, StringComparison.Ordinal);
        Assert.Equal("5", replicas);
    }

    [Fact]
    public void Describe_PodAndService_PrintsFields()
    {
        Ok(Server.KubectlWithInput(Manifests.Pod + "\n---\n" + Manifests.Service, "create", "--validate=false", "-f", "-"));

        var pod = Ok(Server.Kubectl("describe", "pod", "web-1"));
        var service = Ok(Server.Kubectl("describe", "service", "web"));

        Assert.Matches(@"Name:\s+web-1", pod);
        Assert.Matches(@"Labels:\s+app=web", pod);
        Assert.Matches(@"Image:\s+nginx:1\.25", pod);
        Assert.Matches(@"Type:\s+NodePort", service);
        Assert.Matches(@"TargetPort:\s+8080/TCP", service);
    }

    [Fact]
    public void Delete_PodAndController_Gone()
    {
        Ok(Server.KubectlWithInput(Manifests.Pod + "\n---\n" + Manifests.Controller, "create", "--validate=false", "-f", "-"));

        var deleted = Ok(Server.Kubectl("delete", "pod", "web-1", "--timeout=30s"));
        Ok(Server.Kubectl("delete", "rc", "frontend", "--timeout=30s"));
        var left = Server.Kubectl("get", "pods,rc", "-o", "name");

        Assert.Contains("pod \"web-1\" deleted", deleted, StringComparison.Ordinal);
        Assert.Equal(0, left.ExitCode);
        Assert.Equal("", left.Stdout.Trim());
    }

    [Fact]
    public void Create_InvalidService_ReportsFieldError()
    {
        var result = Server.KubectlWithInput(Manifests.Service.Replace("port: 80", "port: 70000", StringComparison.Ordinal), "create", "--validate=false", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.ports[0].port", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("70000", result.Stderr, StringComparison.Ordinal);
    }

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"kubectl exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }
}

/// <summary>The suite on the on-disk embedded store.</summary>
public sealed class KubectlOnEmbeddedStoreTests(EmbeddedStoreBackend backend) : KubectlTests(backend), IClassFixture<EmbeddedStoreBackend>;

/// <summary>The suite on etcd.</summary>
public sealed class KubectlOnEtcdTests(EtcdStoreBackend backend) : KubectlTests(backend), IClassFixture<EtcdStoreBackend>;
