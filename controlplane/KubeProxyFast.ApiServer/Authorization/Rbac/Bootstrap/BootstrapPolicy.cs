using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;
using static KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap.PolicyRules;

namespace KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap;

/// <summary>
/// The default RBAC objects every secured server makes sure exist, named and shaped as
/// Kubernetes' bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), with their rules
/// narrowed to the resources this server serves (and to the certificate objects of TLS
/// bootstrapping). Aggregation is not run here, so admin, edit and view carry their aggregated
/// rules themselves. Each object is labelled <c>kubernetes.io/bootstrapping: rbac-defaults</c> and
/// annotated <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c>.
/// </summary>
internal static partial class BootstrapPolicy
{
    private const string Certificates = "certificates.k8s.io";

    /// <summary>Every default ClusterRole.</summary>
    public static IReadOnlyList<ClusterRole> ClusterRoles() =>
    [
        ClusterRole("cluster-admin", Rule(["*"], "*", "*"), Urls(["*"], "*")),
        ClusterRole("system:discovery",
            Urls(["get"], "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")),
        ClusterRole("system:basic-user",
            Rule(["create"], "authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            Rule(["create"], "authentication.k8s.io", "selfsubjectreviews")),
        ClusterRole("system:public-info-viewer", Urls(["get"], "/healthz", "/livez", "/readyz", "/version", "/version/")),
        ClusterRole("admin", [.. AdminRules(), .. EditRules(), .. ViewRules()]),
        ClusterRole("edit", [.. EditRules(), .. ViewRules()]),
        ClusterRole("view", [.. ViewRules()]),
        ClusterRole("system:node", [.. NodeRules()]),
        ClusterRole("system:node-proxier",
            Rule(["list", "watch"], Core, "services", "endpoints"),
            Rule(Read, Core, "nodes"),
            Events()),
        ClusterRole("system:kube-scheduler", [.. SchedulerRules()]),
        ClusterRole("system:kube-controller-manager", [.. ControllerManagerRules()]),
        ClusterRole("system:kubelet-api-admin",
            Rule(Read, Core, "nodes"),
            Rule(["proxy"], Core, "nodes"),
            Rule(["*"], Core, "nodes/proxy", "nodes/log", "nodes/stats", "nodes/metrics", "nodes/spec")),
        ClusterRole("system:node-bootstrapper", Rule(["create", "get", "list", "watch"], Certificates, "certificatesigningrequests")),
        ClusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            Rule(["create"], Certificates, "certificatesigningrequests/nodeclient")),
        ClusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            Rule(["create"], Certificates, "certificatesigningrequests/selfnodeclient")),
    ];

    /// <summary>Every default ClusterRoleBinding (named as its ClusterRole).</summary>
    public static IReadOnlyList<ClusterRoleBinding> ClusterRoleBindings() =>
    [
        ClusterBinding("cluster-admin", Group("system:masters")),
        ClusterBinding("system:discovery", Group("system:authenticated")),
        ClusterBinding("system:basic-user", Group("system:authenticated")),
        ClusterBinding("system:public-info-viewer", Group("system:authenticated"), Group("system:unauthenticated")),
        ClusterBinding("system:kube-scheduler", User("system:kube-scheduler")),
        ClusterBinding("system:kube-controller-manager", User("system:kube-controller-manager")),
        ClusterBinding("system:node-proxier", User("system:kube-proxy")),
        ClusterBinding("system:kubelet-api-admin", User("kube-apiserver-kubelet-client")),
        ClusterBinding("system:node-bootstrapper", Group("system:bootstrappers")),
        ClusterBinding("system:certificates.k8s.io:certificatesigningrequests:nodeclient", Group("system:bootstrappers")),
        ClusterBinding("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", Group("system:nodes")),
    ];

    /// <summary>The default Roles (in kube-system).</summary>
    public static IReadOnlyList<Role> Roles() =>
    [
        Role("kube-system", "extension-apiserver-authentication-reader",
            Named(Read, Core, "configmaps", "extension-apiserver-authentication")),
    ];

    /// <summary>The default RoleBindings (in kube-system): the components and the kubelets read the client CA.</summary>
    public static IReadOnlyList<RoleBinding> RoleBindings() =>
    [
        new()
        {
            Metadata = Meta("system::extension-apiserver-authentication-reader", "kube-system"),
            RoleRef = new RoleRef { ApiGroup = RbacNames.Group, Kind = "Role", Name = "extension-apiserver-authentication-reader" },
            Subjects = [User("system:kube-controller-manager"), User("system:kube-scheduler"), Group("system:nodes")],
        },
    ];

    private static ClusterRole ClusterRole(string name, params PolicyRule[] rules) => new() { Metadata = Meta(name, null), Rules = [.. rules] };

    private static Role Role(string ns, string name, params PolicyRule[] rules) => new() { Metadata = Meta(name, ns), Rules = [.. rules] };

    private static ClusterRoleBinding ClusterBinding(string role, params Subject[] subjects) => new()
    {
        Metadata = Meta(role, null),
        RoleRef = new RoleRef { ApiGroup = RbacNames.Group, Kind = "ClusterRole", Name = role },
        Subjects = [.. subjects],
    };

    private static Subject User(string name) => new() { Kind = "User", ApiGroup = RbacNames.Group, Name = name };

    private static Subject Group(string name) => new() { Kind = "Group", ApiGroup = RbacNames.Group, Name = name };

    private static ObjectMeta Meta(string name, string? ns) => new()
    {
        Name = name,
        Namespace = ns,
        Labels = new Dictionary<string, string> { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        Annotations = new Dictionary<string, string> { [RbacNames.AutoUpdateAnnotation] = "true" },
    };
}
