using KubeProxyFast.ApiServer.Authorization.Node;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Node;

public sealed class NodeRulesTests
{
    [Theory]
    [InlineData("spec.nodeName=n1", true)]
    [InlineData("spec.nodeName==n1", true)]
    [InlineData("status.phase!=Failed,spec.nodeName=n1", true)]
    [InlineData("spec.nodeName=n1,metadata.namespace=default", true)]
    [InlineData("spec.nodeName=n2", false)]
    [InlineData("spec.nodeName!=n1", false)]
    [InlineData("spec.nodeName=n10", false)]
    [InlineData("spec.nodeNameX=n1", false)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("", false)]
    public void SelectsNode_FieldSelector_MatchesOnlyAnEqualityOnTheNode(string selector, bool expected)
    {
        Assert.Equal(expected, NodeRules.SelectsNode(selector, "n1"));
    }
}
