using KubeProxyFast.Api.Rbac;
using KubeProxyFast.ApiServer.Authorization.Rbac;

namespace KubeProxyFast.ApiServer.Tests.Authorization.Rbac;

/// <summary>Rule coverage and its message, as Kubernetes' <c>validation.Covers</c> and <c>CompactString</c>.</summary>
public sealed class RuleCoverageTests
{
    [Fact]
    public void Missing_OwnerWithStarAndSubresourceStar_CoversBrokenDownRules()
    {
        List<PolicyRule> owner =
        [
            new() { Verbs = ["get", "list"], ApiGroups = [""], Resources = ["pods", "*/scale"] },
            new() { Verbs = ["get"], NonResourceURLs = ["/apis/*"] },
        ];
        List<PolicyRule> servant =
        [
            new() { Verbs = ["get"], ApiGroups = [""], Resources = ["pods", "replicationcontrollers/scale"], ResourceNames = ["a"] },
            new() { Verbs = ["get"], NonResourceURLs = ["/apis/v1"] },
        ];

        Assert.Empty(RuleCoverage.Missing(owner, servant));
    }

    [Fact]
    public void Missing_VerbsAndNamesNotHeld_ListedOneByOne()
    {
        List<PolicyRule> owner = [new() { Verbs = ["get"], ApiGroups = [""], Resources = ["pods"], ResourceNames = ["a"] }];
        List<PolicyRule> servant = [new() { Verbs = ["get", "create"], ApiGroups = [""], Resources = ["pods"] }];

        var missing = RuleCoverage.Missing(owner, servant);

        Assert.Equal(["{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"create\"]}"], RuleCoverage.Describe(missing));
    }

    [Fact]
    public void CompactString_NonResourceRule_OnlyNonEmptyLists()
    {
        Assert.Equal("{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}", RuleCoverage.CompactString(new PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz"] }));
    }
}
