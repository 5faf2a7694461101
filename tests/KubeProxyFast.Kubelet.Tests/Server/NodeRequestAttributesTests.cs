using KubeProxyFast.Kubelet.Server;

namespace KubeProxyFast.Kubelet.Tests.Server;

/// <summary>Paths and methods of the kubelet's API as the kubelet authorizes them (pkg/kubelet/server/auth.go).</summary>
public sealed class NodeRequestAttributesTests
{
    [Theory]
    [InlineData("GET", "/pods", "get", "pods proxy")]
    [InlineData("GET", "/pods/", "get", "pods proxy")]
    [InlineData("GET", "/runningpods/", "get", "pods proxy")]
    [InlineData("GET", "/healthz", "get", "healthz proxy")]
    [InlineData("GET", "/healthz/syncloop", "get", "healthz proxy")]
    [InlineData("GET", "/configz", "get", "configz proxy")]
    [InlineData("GET", "/stats/summary", "get", "stats")]
    [InlineData("GET", "/stats", "get", "stats")]
    [InlineData("GET", "/metrics/cadvisor", "get", "metrics")]
    [InlineData("GET", "/logs/", "get", "log")]
    [InlineData("POST", "/checkpoint/default/web/app", "create", "checkpoint")]
    [InlineData("POST", "/exec/default/web/app", "create", "proxy")]
    [InlineData("GET", "/containerLogs/default/web/app", "get", "proxy")]
    [InlineData("GET", "/statsx", "get", "proxy")]
    [InlineData("GET", "/podsx", "get", "proxy")]
    [InlineData("HEAD", "/healthz", "get", "healthz proxy")]
    [InlineData("PUT", "/run/default/web/app", "update", "proxy")]
    [InlineData("PATCH", "/spec", "patch", "proxy")]
    [InlineData("DELETE", "/pods", "delete", "pods proxy")]
    public void Of_PathAndMethod_AreTheKubeletsVerbAndSubresources(string method, string path, string verb, string subresources)
    {
        var attributes = NodeRequestAttributes.Of(method, path, "n1");

        Assert.Equal(verb, attributes.Verb);
        Assert.Equal(subresources.Split(' '), attributes.Subresources);
        Assert.Equal("n1", attributes.NodeName);
    }

    [Fact]
    public void ForbiddenMessage_User_IsWordedAsTheKubelets()
    {
        var attributes = NodeRequestAttributes.Of("GET", "/pods", "n1");

        Assert.Equal("Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\n", attributes.ForbiddenMessage(KubeletUser.Anonymous));
    }
}
