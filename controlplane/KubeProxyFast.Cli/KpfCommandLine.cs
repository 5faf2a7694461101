using System.CommandLine;

namespace KubeProxyFast.Cli;

/// <summary>
/// The <c>kpf</c> command tree. One binary runs any set of roles (see DESIGN.md, "Roles"): each
/// command that runs roles lists them (<see cref="Hosting.RoleCommand"/>), and one role host runs them.
/// </summary>
internal static class KpfCommandLine
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns its exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(args).Invoke(configuration);
    }

    internal static RootCommand Build()
    {
        var root = new RootCommand(
            "kpf — KubeProxyFast: the Kubernetes deployment model (pods, replication controllers, " +
            "services, endpoints, nodes) around a fast kube-proxy.");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(ProxyCommand.Create());
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(ControllerManagerCommand.Create());
        root.Subcommands.Add(SchedulerCommand.Create());
        root.Subcommands.Add(KubeletCommand.Create());
        root.Subcommands.Add(AgentCommand.Create());
        return root;
    }
}
