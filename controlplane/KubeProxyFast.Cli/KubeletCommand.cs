using System.CommandLine;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Kubelet;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf kubelet --kubeconfig FILE</c>: the kubelet role alone (<see cref="KubeletRole"/>, its flags in
/// <see cref="KubeletFlags"/>), until SIGINT or SIGTERM.
/// </summary>
internal static class KubeletCommand
{
    public static Command Create() => Create(new KubeletFlags(alone: true));

    /// <summary>The command with <paramref name="flags"/> (tests read the options they bind).</summary>
    internal static Command Create(KubeletFlags flags) => RoleCommand.Create("kubelet",
        "Run the kubelet against an apiserver (--kubeconfig, --master): register this machine as a Node, renew its Lease in " +
        "kube-node-lease, post its status, and run the pods bound to it through CRI on containerd (its own, under --data-dir, " +
        "unless --container-runtime-endpoint names one), with CNI pod networking on the Node's podCIDR.",
        flags);
}
