using System.CommandLine;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.Kubelet;
using KubeProxyFast.Cli.Roles.Proxy;
using KubeProxyFast.Client;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf agent --kubeconfig FILE</c>: the node roles, as k3s's agent runs them — the kubelet
/// (<see cref="KubeletRole"/>) and kube-proxy (<see cref="ProxyRole"/>) fed by the same apiserver.
/// The proxy's flags are its own (<see cref="ProxyFlags"/>, in apiserver mode: <c>--config</c> is
/// refused); the kubelet reaches the apiserver named by the proxy's <c>--kubeconfig</c>/<c>--master</c>.
/// </summary>
internal static class AgentCommand
{
    public static Command Create() => Create(new KubeletFlags(alone: false), new ProxyFlags());

    /// <summary>The command with these flag sets (tests bind its roles with <see cref="Bind"/>).</summary>
    internal static Command Create(KubeletFlags kubelet, ProxyFlags proxy)
    {
        var command = RoleCommand.Create("agent",
            "Run a node: the kubelet (Node registration, Lease, status, pods through CRI on containerd with CNI networking) and " +
            "kube-proxy, both fed by the apiserver of --kubeconfig (or --master).",
            [kubelet, proxy],
            parse => Bind(kubelet, proxy, parse));
        command.Validators.Add(result =>
        {
            if (result.Children.Any(c => c is System.CommandLine.Parsing.OptionResult { Option.Name: "--config" }))
            {
                result.AddError("--config: kpf agent takes Services and Endpoints from the apiserver (--kubeconfig or --master), not from a file");
            }
        });
        return command;
    }

    /// <summary>The kubelet, then the proxy; the kubelet reaches the apiserver the proxy's <c>--kubeconfig</c>/<c>--master</c> name.</summary>
    internal static IReadOnlyList<IRole> Bind(KubeletFlags kubelet, ProxyFlags proxy, ParseResult parse)
    {
        var master = parse.GetValue<Uri>("--master");
        var kubeconfig = parse.GetValue<string>("--kubeconfig");
        return [kubelet.Bind(parse, () => Connect(master, kubeconfig)), proxy.Bind(parse)];
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
