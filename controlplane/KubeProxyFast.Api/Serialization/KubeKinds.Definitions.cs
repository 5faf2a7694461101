using KubeProxyFast.Api.Authentication;
using KubeProxyFast.Api.Authorization;
using KubeProxyFast.Api.Autoscaling;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.Api.Serialization;

// The definitions themselves, as kube-apiserver's discovery describes each resource.
public static partial class KubeKinds
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    // Kubernetes' namespaces serve no deletecollection.
    private static readonly string[] NamespaceVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];
    private static readonly string[] ProxyVerbs = ["create", "delete", "get", "patch", "update"];
    private static readonly string[] AllCategory = ["all"];

    private static readonly GroupVersion AutoscalingV1 = new("autoscaling", "v1");
    private static readonly GroupVersion CoordinationV1 = new("coordination.k8s.io", "v1");
    private static readonly GroupVersion RbacV1 = new("rbac.authorization.k8s.io", "v1");
    private static readonly GroupVersion AuthenticationV1 = new("authentication.k8s.io", "v1");
    private static readonly GroupVersion AuthorizationV1 = new("authorization.k8s.io", "v1");

    // Reviews are created only and never stored: a POST answers with the object, its status filled.
    private static readonly string[] CreateOnlyVerbs = ["create"];
    private static readonly GroupVersion CertificatesV1 = new("certificates.k8s.io", "v1");

    /// <summary>v1 Binding, created only (<c>POST namespaces/{ns}/bindings</c>, and pods/binding).</summary>
    public static KindInfo Binding { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Binding", Resource = "bindings", SingularName = "binding", Namespaced = true,
        Verbs = ["create"], Type = typeof(Binding),
    };

    /// <summary>v1 Namespace.</summary>
    public static KindInfo Namespace { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Namespace", Resource = "namespaces", SingularName = "namespace", Namespaced = false,
        ListKind = "NamespaceList", ShortNames = ["ns"], Verbs = NamespaceVerbs, Subresources = [Status("Namespace")],
        Type = typeof(Namespace), ListType = typeof(NamespaceList),
    };

    /// <summary>v1 Node.</summary>
    public static KindInfo Node { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Node", Resource = "nodes", SingularName = "node", Namespaced = false,
        ListKind = "NodeList", ShortNames = ["no"], Verbs = ObjectVerbs, Subresources = [Status("Node"), Proxy("Node")],
        Type = typeof(Node), ListType = typeof(NodeList),
    };

    /// <summary>v1 Pod.</summary>
    public static KindInfo Pod { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Pod", Resource = "pods", SingularName = "pod", Namespaced = true,
        ListKind = "PodList", ShortNames = ["po"], Verbs = ObjectVerbs, Categories = AllCategory,
        Subresources = [Status("Pod"), new("binding", GroupVersion.CoreV1, "Binding", ["create"]), Proxy("Pod")],
        Type = typeof(Pod), ListType = typeof(PodList),
    };

    /// <summary>v1 Service.</summary>
    public static KindInfo Service { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Service", Resource = "services", SingularName = "service", Namespaced = true,
        ListKind = "ServiceList", ShortNames = ["svc"], Verbs = ObjectVerbs, Categories = AllCategory,
        Subresources = [Status("Service"), Proxy("Service")],
        Type = typeof(Service), ListType = typeof(ServiceList),
    };

    /// <summary>v1 Endpoints.</summary>
    public static KindInfo Endpoints { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Endpoints", Resource = "endpoints", SingularName = "endpoints", Namespaced = true,
        ListKind = "EndpointsList", ShortNames = ["ep"], Verbs = ObjectVerbs,
        Type = typeof(Endpoints), ListType = typeof(EndpointsList),
    };

    /// <summary>v1 ReplicationController.</summary>
    public static KindInfo ReplicationController { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "ReplicationController", Resource = "replicationcontrollers",
        SingularName = "replicationcontroller", Namespaced = true, ListKind = "ReplicationControllerList", ShortNames = ["rc"],
        Verbs = ObjectVerbs, Categories = AllCategory,
        Subresources = [Status("ReplicationController"), new("scale", AutoscalingV1, "Scale", StatusVerbs)],
        Type = typeof(ReplicationController), ListType = typeof(ReplicationControllerList),
    };

    /// <summary>v1 Event.</summary>
    public static KindInfo Event { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Event", Resource = "events", SingularName = "event", Namespaced = true,
        ListKind = "EventList", ShortNames = ["ev"], Verbs = ObjectVerbs,
        Type = typeof(Event), ListType = typeof(EventList),
    };

    /// <summary>v1 ConfigMap.</summary>
    public static KindInfo ConfigMap { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "ConfigMap", Resource = "configmaps", SingularName = "configmap", Namespaced = true,
        ListKind = "ConfigMapList", ShortNames = ["cm"], Verbs = ObjectVerbs,
        Type = typeof(ConfigMap), ListType = typeof(ConfigMapList),
    };

    /// <summary>v1 Secret.</summary>
    public static KindInfo Secret { get; } = new()
    {
        GroupVersion = GroupVersion.CoreV1, Kind = "Secret", Resource = "secrets", SingularName = "secret", Namespaced = true,
        ListKind = "SecretList", Verbs = ObjectVerbs,
        Type = typeof(Secret), ListType = typeof(SecretList),
    };

    /// <summary>autoscaling/v1 Scale: served only as <c>replicationcontrollers/scale</c>.</summary>
    public static KindInfo Scale { get; } = new()
    {
        GroupVersion = AutoscalingV1, Kind = "Scale", Resource = "scale", SingularName = "scale", Namespaced = true,
        Type = typeof(Scale),
    };

    /// <summary>coordination.k8s.io/v1 Lease.</summary>
    public static KindInfo Lease { get; } = new()
    {
        GroupVersion = CoordinationV1, Kind = "Lease", Resource = "leases", SingularName = "lease", Namespaced = true,
        ListKind = "LeaseList", Verbs = ObjectVerbs,
        Type = typeof(Lease), ListType = typeof(LeaseList),
    };

    /// <summary>rbac.authorization.k8s.io/v1 ClusterRoleBinding.</summary>
    public static KindInfo ClusterRoleBinding { get; } = new()
    {
        GroupVersion = RbacV1, Kind = "ClusterRoleBinding", Resource = "clusterrolebindings", SingularName = "clusterrolebinding",
        Namespaced = false, ListKind = "ClusterRoleBindingList", Verbs = ObjectVerbs,
        Type = typeof(ClusterRoleBinding), ListType = typeof(ClusterRoleBindingList),
    };

    /// <summary>rbac.authorization.k8s.io/v1 ClusterRole.</summary>
    public static KindInfo ClusterRole { get; } = new()
    {
        GroupVersion = RbacV1, Kind = "ClusterRole", Resource = "clusterroles", SingularName = "clusterrole", Namespaced = false,
        ListKind = "ClusterRoleList", Verbs = ObjectVerbs,
        Type = typeof(ClusterRole), ListType = typeof(ClusterRoleList),
    };

    /// <summary>rbac.authorization.k8s.io/v1 RoleBinding.</summary>
    public static KindInfo RoleBinding { get; } = new()
    {
        GroupVersion = RbacV1, Kind = "RoleBinding", Resource = "rolebindings", SingularName = "rolebinding", Namespaced = true,
        ListKind = "RoleBindingList", Verbs = ObjectVerbs,
        Type = typeof(RoleBinding), ListType = typeof(RoleBindingList),
    };

    /// <summary>rbac.authorization.k8s.io/v1 Role.</summary>
    public static KindInfo Role { get; } = new()
    {
        GroupVersion = RbacV1, Kind = "Role", Resource = "roles", SingularName = "role", Namespaced = true,
        ListKind = "RoleList", Verbs = ObjectVerbs,
        Type = typeof(Role), ListType = typeof(RoleList),
    };

    /// <summary>authentication.k8s.io/v1 TokenReview, created only.</summary>
    public static KindInfo TokenReview { get; } = new()
    {
        GroupVersion = AuthenticationV1, Kind = "TokenReview", Resource = "tokenreviews", SingularName = "tokenreview", Namespaced = false,
        Verbs = CreateOnlyVerbs, Type = typeof(TokenReview),
    };

    /// <summary>authentication.k8s.io/v1 SelfSubjectReview, created only.</summary>
    public static KindInfo SelfSubjectReview { get; } = new()
    {
        GroupVersion = AuthenticationV1, Kind = "SelfSubjectReview", Resource = "selfsubjectreviews", SingularName = "selfsubjectreview",
        Namespaced = false, Verbs = CreateOnlyVerbs, Type = typeof(SelfSubjectReview),
    };

    /// <summary>authorization.k8s.io/v1 LocalSubjectAccessReview, created only, in a namespace.</summary>
    public static KindInfo LocalSubjectAccessReview { get; } = new()
    {
        GroupVersion = AuthorizationV1, Kind = "LocalSubjectAccessReview", Resource = "localsubjectaccessreviews",
        SingularName = "localsubjectaccessreview", Namespaced = true, Verbs = CreateOnlyVerbs, Type = typeof(LocalSubjectAccessReview),
    };

    /// <summary>authorization.k8s.io/v1 SelfSubjectAccessReview, created only.</summary>
    public static KindInfo SelfSubjectAccessReview { get; } = new()
    {
        GroupVersion = AuthorizationV1, Kind = "SelfSubjectAccessReview", Resource = "selfsubjectaccessreviews",
        SingularName = "selfsubjectaccessreview", Namespaced = false, Verbs = CreateOnlyVerbs, Type = typeof(SelfSubjectAccessReview),
    };

    /// <summary>authorization.k8s.io/v1 SelfSubjectRulesReview, created only.</summary>
    public static KindInfo SelfSubjectRulesReview { get; } = new()
    {
        GroupVersion = AuthorizationV1, Kind = "SelfSubjectRulesReview", Resource = "selfsubjectrulesreviews",
        SingularName = "selfsubjectrulesreview", Namespaced = false, Verbs = CreateOnlyVerbs, Type = typeof(SelfSubjectRulesReview),
    };

    /// <summary>authorization.k8s.io/v1 SubjectAccessReview, created only.</summary>
    public static KindInfo SubjectAccessReview { get; } = new()
    {
        GroupVersion = AuthorizationV1, Kind = "SubjectAccessReview", Resource = "subjectaccessreviews",
        SingularName = "subjectaccessreview", Namespaced = false, Verbs = CreateOnlyVerbs, Type = typeof(SubjectAccessReview),
    };

    /// <summary>certificates.k8s.io/v1 CertificateSigningRequest: cluster-scoped, with <c>status</c> (the signer's) and <c>approval</c> (the approver's).</summary>
    public static KindInfo CertificateSigningRequest { get; } = new()
    {
        GroupVersion = CertificatesV1, Kind = "CertificateSigningRequest", Resource = "certificatesigningrequests",
        SingularName = "certificatesigningrequest", Namespaced = false, ListKind = "CertificateSigningRequestList", ShortNames = ["csr"],
        Verbs = ObjectVerbs,
        Subresources = [new("approval", CertificatesV1, "CertificateSigningRequest", StatusVerbs), new("status", CertificatesV1, "CertificateSigningRequest", StatusVerbs)],
        Type = typeof(CertificateSigningRequest), ListType = typeof(CertificateSigningRequestList),
    };

    // Last: static initializers run in text order, and these read the definitions above.
    /// <summary>Every kind, in discovery order within each group version; the groups in kube-apiserver's order (authentication, authorization, coordination).</summary>
    public static IReadOnlyList<KindInfo> All { get; } =
        [Binding, Namespace, Node, Pod, Service, Endpoints, ReplicationController, Event, ConfigMap, Secret, Scale,
         SelfSubjectReview, TokenReview, LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview,
         CertificateSigningRequest, Lease, ClusterRoleBinding, ClusterRole, RoleBinding, Role];

    /// <summary>The group versions that serve resources, the core group first: what <c>/api</c> and <c>/apis</c> list.</summary>
    public static IReadOnlyList<GroupVersion> ServedGroupVersions { get; } =
        All.Where(k => k.IsServed).Select(k => k.GroupVersion).Distinct().OrderBy(gv => gv.IsCore ? 0 : 1).ToArray();

    private static SubresourceInfo Status(string kind) => new("status", GroupVersion.CoreV1, kind, StatusVerbs);

    private static SubresourceInfo Proxy(string kind) => new("proxy", GroupVersion.CoreV1, kind + "ProxyOptions", ProxyVerbs);
}
