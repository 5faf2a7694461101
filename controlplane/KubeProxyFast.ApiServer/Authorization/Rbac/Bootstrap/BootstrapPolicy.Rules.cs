using KubeProxyFast.Api.Rbac;
using static KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap.PolicyRules;

namespace KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap;

// The longer rule sets: the user-facing roles and the components' identities.
internal static partial class BootstrapPolicy
{
    /// <summary>Kubernetes' aggregate-to-view, for the resources served: read everything but secrets.</summary>
    private static IEnumerable<PolicyRule> ViewRules() =>
    [
        Rule(Read, Core, "pods", "replicationcontrollers", "replicationcontrollers/scale", "services", "services/status", "endpoints", "configmaps"),
        Rule(Read, Core, "bindings", "events", "pods/status", "namespaces/status", "replicationcontrollers/status", "pods/log"),
        // Reading namespaces in a namespace's scope means reading that namespace: a sign of which ones a user may use.
        Rule(Read, Core, "namespaces"),
    ];

    /// <summary>Kubernetes' aggregate-to-edit, for the resources served: write workloads, services, configuration and secrets, not endpoints (CVE-2021-25740).</summary>
    private static IEnumerable<PolicyRule> EditRules() =>
    [
        Rule(Write, Core, "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
        Rule(Write, Core, "replicationcontrollers", "replicationcontrollers/scale", "services", "services/proxy", "configmaps", "secrets", "events"),
        Rule(Read, Core, "pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"),
    ];

    /// <summary>Kubernetes' aggregate-to-admin: local access reviews, and the namespace's roles and bindings.</summary>
    private static IEnumerable<PolicyRule> AdminRules() =>
    [
        Rule(["create"], "authorization.k8s.io", "localsubjectaccessreviews"),
        Rule(ReadWrite, RbacNames.Group, "roles", "rolebindings"),
    ];

    /// <summary>Kubernetes' system:node (what a kubelet may do when the Node authorizer is not asked), for the resources served.</summary>
    private static IEnumerable<PolicyRule> NodeRules() =>
    [
        Rule(["create"], "authentication.k8s.io", "tokenreviews"),
        Rule(["create"], "authorization.k8s.io", "subjectaccessreviews", "localsubjectaccessreviews"),
        Rule(Read, Core, "services"),
        Rule(["create", "get", "list", "watch"], Core, "nodes"),
        Rule(["update", "patch"], Core, "nodes/status"),
        Rule(["update", "patch", "delete"], Core, "nodes"),
        Events(),
        Rule(Read, Core, "pods"),
        Rule(["create", "delete"], Core, "pods"),
        Rule(["update", "patch"], Core, "pods/status"),
        Rule(["get"], Core, "secrets", "configmaps"),
        Rule(["get", "create", "update", "patch", "delete"], "coordination.k8s.io", "leases"),
        Rule(["create", "get", "list", "watch"], "certificates.k8s.io", "certificatesigningrequests"),
    ];

    /// <summary>Kubernetes' system:kube-scheduler, for the resources served.</summary>
    private static IEnumerable<PolicyRule> SchedulerRules() =>
    [
        Events(),
        Rule(["create"], "coordination.k8s.io", "leases"),
        Named(["get", "update"], "coordination.k8s.io", "leases", "kube-scheduler"),
        Rule(Read, Core, "nodes"),
        Rule(Read, Core, "pods"),
        // Preemption evicts lower-priority pods.
        Rule(["delete"], Core, "pods"),
        Rule(["create"], Core, "pods/binding", "bindings"),
        Rule(["patch", "update"], Core, "pods/status"),
        Rule(Read, Core, "replicationcontrollers", "services", "namespaces"),
        Rule(["create"], "authentication.k8s.io", "tokenreviews"),
        Rule(["create"], "authorization.k8s.io", "subjectaccessreviews"),
    ];

    /// <summary>
    /// system:kube-controller-manager: Kubernetes' rules (events, its lease, list and watch of
    /// everything for the shared informers), and — since this controller manager runs every
    /// controller under its one identity rather than a service account each — what those
    /// controllers write: the garbage collector's get/patch/update/delete of any object (as
    /// system:controller:generic-garbage-collector), pods (replication), endpoints, and the
    /// certificate controllers' approval and signing of kubelet certificates.
    /// </summary>
    private static IEnumerable<PolicyRule> ControllerManagerRules() =>
    [
        Events(),
        Rule(["create"], "coordination.k8s.io", "leases"),
        Named(["get", "update"], "coordination.k8s.io", "leases", "kube-controller-manager"),
        Rule(["list", "watch"], "*", "*"),
        Rule(["get", "patch", "update", "delete"], "*", "*"),
        Rule(["create"], Core, "pods", "endpoints"),
        Rule(["create"], "authentication.k8s.io", "tokenreviews"),
        Rule(["create"], "authorization.k8s.io", "subjectaccessreviews"),
        Rule(["update"], "certificates.k8s.io", "certificatesigningrequests/approval", "certificatesigningrequests/status"),
        Named(["approve"], "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving"),
        Named(["sign"], "certificates.k8s.io", "signers",
            "kubernetes.io/kube-apiserver-client", "kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving", "kubernetes.io/legacy-unknown"),
    ];
}
