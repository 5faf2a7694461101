namespace KubeProxyFast.Cli.Roles.ApiServer.Pki;

/// <summary>
/// A client certificate <c>kpf server</c> issues from its client CA: the file it is kept in
/// (<c>tls/client-&lt;stem&gt;.crt</c>) and the user it names (CN) with its groups (O), as k3s's.
/// </summary>
/// <param name="FileStem">The file name between <c>client-</c> and <c>.crt</c>/<c>.key</c>.</param>
/// <param name="CommonName">The user name.</param>
/// <param name="Organizations">The groups.</param>
internal sealed record ClientIdentity(string FileStem, string CommonName, IReadOnlyList<string> Organizations)
{
    /// <summary>The operator's kubeconfig: <c>system:admin</c> in <c>system:masters</c>, as k3s's admin certificate.</summary>
    public static ClientIdentity Admin { get; } = new("admin", "system:admin", ["system:masters"]);

    /// <summary>The controller manager: the user the default RBAC policy binds <c>system:kube-controller-manager</c> to.</summary>
    public static ClientIdentity ControllerManager { get; } = new("kube-controller-manager", "system:kube-controller-manager", []);

    /// <summary>The scheduler: the user the default RBAC policy binds <c>system:kube-scheduler</c> to.</summary>
    public static ClientIdentity Scheduler { get; } = new("kube-scheduler", "system:kube-scheduler", []);

    /// <summary>
    /// The apiserver toward kubelets (<c>--kubelet-client-certificate</c>): the user the default policy
    /// binds <c>system:kubelet-api-admin</c> to, in no group, as kube-apiserver's.
    /// </summary>
    public static ClientIdentity KubeletClient { get; } = new("kube-apiserver-kubelet-client", "kube-apiserver-kubelet-client", []);

    /// <summary>Every client certificate <c>kpf server</c> keeps.</summary>
    public static IReadOnlyList<ClientIdentity> All { get; } = [Admin, ControllerManager, Scheduler, KubeletClient];
}
