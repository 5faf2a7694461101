using KubeProxyFast.ApiServer.Admission;

namespace KubeProxyFast.ApiServer.Tests.Admission;

public sealed class NodeLabelPolicyTests
{
    [Theory]
    [InlineData("node-role.kubernetes.io/master", true)]
    [InlineData("node-role.kubernetes.io/worker", true)]
    [InlineData("node-restriction.kubernetes.io/dedicated", true)]
    [InlineData("example.node-restriction.kubernetes.io/x", true)]
    [InlineData("foo.k8s.io/bar", true)]
    [InlineData("kubernetes.io/role", true)]
    [InlineData("kubernetes.io/hostname", false)]
    [InlineData("kubernetes.io/os", false)]
    [InlineData("beta.kubernetes.io/arch", false)]
    [InlineData("topology.kubernetes.io/zone", false)]
    [InlineData("node.kubernetes.io/instance-type", false)]
    [InlineData("example.kubelet.kubernetes.io/anything", false)]
    [InlineData("example.com/role", false)]
    [InlineData("plain", false)]
    [InlineData("notkubernetes.io/x", false)]
    public void IsForbidden_Key_FollowsKubernetesKubeletLabelList(string key, bool forbidden)
    {
        Assert.Equal(forbidden, NodeLabelPolicy.IsForbidden(key));
    }

    [Fact]
    public void Forbidden_AddedChangedAndRemoved_ListsEachForbiddenKeySorted()
    {
        var before = new Dictionary<string, string> { ["node-role.kubernetes.io/worker"] = "", ["kubernetes.io/role"] = "a", ["team"] = "x" };
        var after = new Dictionary<string, string> { ["kubernetes.io/role"] = "b", ["node-role.kubernetes.io/master"] = "", ["team"] = "y" };

        Assert.Equal("kubernetes.io/role, node-role.kubernetes.io/master, node-role.kubernetes.io/worker", NodeLabelPolicy.Forbidden(after, before));
    }

    [Fact]
    public void Forbidden_UnchangedForbiddenLabel_IsNotReported()
    {
        var labels = new Dictionary<string, string> { ["node-role.kubernetes.io/master"] = "" };

        Assert.Equal("", NodeLabelPolicy.Forbidden(new Dictionary<string, string>(labels) { ["team"] = "x" }, labels));
    }
}
