using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Tests.Registry;

/// <summary>The apiserver stores exactly the kinds the one definition says are served: discovery cannot list what routing does not serve.</summary>
public sealed class ResourcesTests
{
    [Fact]
    public void AllAndCreateOnly_AreTheServedKindsButBinding()
    {
        var served = KubeKinds.All.Where(k => k.IsServed && k != KubeKinds.Binding).ToArray();

        Assert.Equal(served.Where(k => k.ListKind is not null).Select(k => k.QualifiedKind).Order(StringComparer.Ordinal),
            Resources.All.Select(r => r.Info.QualifiedKind).Order(StringComparer.Ordinal));
        Assert.Equal(served.Where(k => k.ListKind is null), Resources.CreateOnly.Select(r => r.Info));
        Assert.All(Resources.CreateOnly, r => Assert.True(r.IsCreateOnly));
        Assert.All(Resources.All, r => Assert.False(r.IsCreateOnly));
    }

    [Fact]
    public void Find_CreateOnlyResource_FoundForRoutingButNotStored()
    {
        var sar = Resources.Find(new GroupVersion("authorization.k8s.io", "v1"), "subjectaccessreviews");

        Assert.NotNull(sar);
        Assert.True(sar.IsCreateOnly);
        Assert.DoesNotContain(sar, Resources.All);
        Assert.Throws<InvalidOperationException>(() => sar.ListKind);
    }

    [Fact]
    public void Find_ByGroupVersion_DoesNotCrossGroups()
    {
        Assert.Same(Resources.Leases, Resources.Find(new GroupVersion("coordination.k8s.io", "v1"), "leases"));
        Assert.Null(Resources.Find(GroupVersion.CoreV1, "leases"));
        Assert.Null(Resources.Find(new GroupVersion("coordination.k8s.io", "v1"), "pods"));
    }
}
