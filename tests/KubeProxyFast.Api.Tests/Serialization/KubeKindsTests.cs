using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

/// <summary>The one definition of each kind: lookups both ways, REST paths per group, and what every served kind must have.</summary>
public sealed class KubeKindsTests
{
    [Fact]
    public void Find_LeaseByApiVersionAndKind_IsCoordinationV1()
    {
        var lease = KubeKinds.Find("coordination.k8s.io/v1", "Lease");

        Assert.Same(KubeKinds.Lease, lease);
        Assert.Equal(("coordination.k8s.io", "v1", "leases", "lease", "LeaseList"), (lease!.Group, lease.Version, lease.Resource, lease.SingularName, lease.ListKind));
        Assert.Same(lease, KubeKinds.Find(typeof(Lease)));
        Assert.Null(KubeKinds.Find("v1", "Lease"));
    }

    [Fact]
    public void Paths_CoreAndNamedGroups_FollowKubernetesLayout()
    {
        Assert.Equal("/api/v1/namespaces/default/pods", KubeKinds.Pod.CollectionPath("default"));
        Assert.Equal("/api/v1/pods", KubeKinds.Pod.CollectionPath(null));
        Assert.Equal("/api/v1/nodes/n1/status", KubeKinds.Node.ItemPath("ignored", "n1", "status"));
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/my%20lock", KubeKinds.Lease.ItemPath("kube-system", "my lock"));
        Assert.Equal("/apis/coordination.k8s.io/v1/leases", KubeKinds.Lease.CollectionPath(null));
        Assert.Throws<ArgumentException>(() => KubeKinds.Lease.ItemPath(null, "x"));
    }

    [Fact]
    public void Names_QualifiedByGroup_AsKubernetesMessagesWriteThem()
    {
        Assert.Equal(("leases.coordination.k8s.io", "Lease.coordination.k8s.io"), (KubeKinds.Lease.QualifiedResource, KubeKinds.Lease.QualifiedKind));
        Assert.Equal(("pods", "Pod"), (KubeKinds.Pod.QualifiedResource, KubeKinds.Pod.QualifiedKind));
    }

    [Fact]
    public void ServedGroupVersions_CoreFirstThenKubeApiServersGroupOrder_NotAutoscaling()
    {
        Assert.Equal(
            [GroupVersion.CoreV1, new GroupVersion("authentication.k8s.io", "v1"), new GroupVersion("authorization.k8s.io", "v1"),
             new GroupVersion("certificates.k8s.io", "v1"), new GroupVersion("coordination.k8s.io", "v1"), new GroupVersion("rbac.authorization.k8s.io", "v1")],
            KubeKinds.ServedGroupVersions);
        Assert.Equal(["clusterrolebindings", "clusterroles", "rolebindings", "roles"],
            KubeKinds.ServedIn(new GroupVersion("rbac.authorization.k8s.io", "v1")).Select(k => k.Resource));
        Assert.Equal(["leases"], KubeKinds.ServedIn(new GroupVersion("coordination.k8s.io", "v1")).Select(k => k.Resource));
    }

    [Fact]
    public void ServedIn_ReviewGroups_CreateOnlyResourcesWithoutLists()
    {
        var reviews = KubeKinds.ServedIn(new GroupVersion("authorization.k8s.io", "v1"))
            .Concat(KubeKinds.ServedIn(new GroupVersion("authentication.k8s.io", "v1"))).ToArray();

        Assert.Equal(
            ["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews", "selfsubjectreviews", "tokenreviews"],
            reviews.Select(k => k.Resource));
        Assert.All(reviews, k =>
        {
            Assert.Equal(["create"], k.Verbs);
            Assert.Null(k.ListKind);
            Assert.Null(k.ListType);
        });
        Assert.Equal(["localsubjectaccessreviews"], reviews.Where(k => k.Namespaced).Select(k => k.Resource));
    }

    [Fact]
    public void EveryListedKind_HasListTypeMatchingListKindAndRegisteredForJson()
    {
        foreach (var kind in KubeKinds.All.Where(k => k.ListKind is not null))
        {
            Assert.Equal(kind.ListKind, kind.ListType!.Name);
            Assert.NotNull(KubeJson.Options.GetTypeInfo(kind.ListType));
            Assert.NotNull(KubeJson.Options.GetTypeInfo(kind.Type));
        }
    }

    [Fact]
    public void WithTypeMeta_Lease_SetsGroupVersion()
    {
        var lease = KubeKinds.WithTypeMeta(new Lease());
        var pod = KubeKinds.WithTypeMeta(new Pod());

        Assert.Equal(("coordination.k8s.io/v1", "Lease"), (lease.ApiVersion, lease.Kind));
        Assert.Equal(("v1", "Pod"), (pod.ApiVersion, pod.Kind));
    }
}
