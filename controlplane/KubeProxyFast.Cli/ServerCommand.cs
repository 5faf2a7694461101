using System.CommandLine;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ApiServer;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf server</c>: the server roles. Today the apiserver alone (<see cref="ApiServerRole"/>, its
/// flags in <see cref="ApiServerFlags"/>); the scheduler, controller manager and DNS join the list.
/// </summary>
internal static class ServerCommand
{
    public static Command Create() => RoleCommand.Create("server",
        "Run the apiserver: the v1 API (pods, services, endpoints, replication controllers, nodes, namespaces, " +
        "events) over etcd or the embedded store, for kubectl and the Kubernetes client libraries.",
        new ApiServerFlags());
}
