using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Tests.Registry;

/// <summary>The apiserver stores exactly the kinds the one definition says are served: discovery cannot list what routing does not serve.</summary>
public sealed class ResourcesTests
{
    [Fact]
    public void All_AreTheServedKindsButBindingAndTheCreateOnlyOnes()
    {
        var stored = KubeKinds.All.Where(k => k.IsServed && k != KubeKinds.Binding && !k.Verbs.SequenceEqual(["create"])).ToArray();

        Assert.Equal(stored, Resources.All.Select(r => r.Info));
        Assert.Equal(KubeKinds.All.Where(k => k.IsServed && k != KubeKinds.Binding && k.Verbs.SequenceEqual(["create"])), Resources.CreateOnly.Select(r => r.Info));
    }

    [Fact]
    public void Find_ByGroupVersion_DoesNotCrossGroups()
    {
        Assert.Same(Resources.Leases, Resources.Find(new GroupVersion("coordination.k8s.io", "v1"), "leases"));
        Assert.Null(Resources.Find(GroupVersion.CoreV1, "leases"));
        Assert.Null(Resources.Find(new GroupVersion("coordination.k8s.io", "v1"), "pods"));
    }
}
