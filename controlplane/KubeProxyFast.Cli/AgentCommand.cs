using System.CommandLine;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Join;
using KubeProxyFast.Cli.Roles.Kubelet;
using KubeProxyFast.Cli.Roles.Proxy;
using KubeProxyFast.Client;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf agent</c>: the node roles, as k3s's agent runs them — the kubelet
/// (<see cref="KubeletRole"/>) and kube-proxy (<see cref="ProxyRole"/>) fed by the same apiserver.
/// Either it joins with <c>--server URL --token TOKEN</c> (<see cref="JoinRole"/> first: the CA
/// pinned, the node's certificates bootstrapped, both roles then using <c>kubelet.kubeconfig</c>),
/// or it is given <c>--kubeconfig</c>/<c>--master</c> (the proxy's flags, shared by the kubelet).
/// The proxy's other flags are its own (<see cref="ProxyFlags"/>, in apiserver mode: <c>--config</c> is refused).
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var join = new JoinFlags();
        return Create(new KubeletFlags(alone: false), new ProxyFlags { JoinSource = join.Server }, join);
    }

    /// <summary>The command with these flag sets (tests bind its roles with <see cref="Bind"/>).</summary>
    internal static Command Create(KubeletFlags kubelet, ProxyFlags proxy, JoinFlags join)
    {
        var command = RoleCommand.Create("agent",
            "Run a node: the kubelet (Node registration, Lease, status, pods through CRI on containerd with CNI networking) and " +
            "kube-proxy, both fed by the apiserver joined with --server and --token (or reached through --kubeconfig or --master).",
            [kubelet, proxy],
            parse => Bind(kubelet, proxy, join, parse));
        join.AddTo(command, proxy.KubeconfigOption, proxy.MasterOption);
        command.Validators.Add(result =>
        {
            if (result.Children.Any(c => c is System.CommandLine.Parsing.OptionResult { Option.Name: "--config" }))
            {
                result.AddError("--config: kpf agent takes Services and Endpoints from the apiserver (--server, --kubeconfig or --master), not from a file");
            }
        });
        return command;
    }

    /// <summary>
    /// Joining: the join role, then the kubelet and the proxy on the node's kubeconfig. Otherwise the
    /// kubelet, then the proxy; the kubelet reaches the apiserver the proxy's <c>--kubeconfig</c>/<c>--master</c> name.
    /// </summary>
    internal static IReadOnlyList<IRole> Bind(KubeletFlags kubelet, ProxyFlags proxy, JoinFlags join, ParseResult parse)
    {
        if (join.Joins(parse))
        {
            var joinRole = new JoinRole(join.ServerOf(parse), join.TokenOf(parse), kubelet.Options(parse));
            var kubeconfig = joinRole.Paths.Kubeconfig;
            return [joinRole, kubelet.Bind(parse, () => Connect(null, kubeconfig)), proxy.Bind(parse, kubeconfig)];
        }

        var master = parse.GetValue<Uri>("--master");
        var given = parse.GetValue<string>("--kubeconfig");
        return [kubelet.Bind(parse, () => Connect(master, given)), proxy.Bind(parse)];
    }

    private static KubeClient Connect(Uri? master, string? kubeconfig)
    {
        if (master is not null)
        {
            return new KubeClient(master);
        }

        try
        {
            return KubeClient.FromKubeconfig(kubeconfig!);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RoleException($"--kubeconfig {kubeconfig}: {e.Message}", e);
        }
    }
}
