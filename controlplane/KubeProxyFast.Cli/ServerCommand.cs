using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles;
using KubeProxyFast.Cli.Roles.ApiServer;
using KubeProxyFast.Cli.Roles.ControllerManager;
using KubeProxyFast.Cli.Roles.Scheduler;
using KubeProxyFast.Client;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf server</c>: the server roles, as k3s runs them: the apiserver (<see cref="ApiServerRole"/>),
/// then the controller manager (<see cref="ControllerManagerRole"/>) and the scheduler
/// (<see cref="SchedulerRole"/>), each but the apiserver
/// reaching the apiserver of the same process through the API on loopback and leading through its
/// own Lease, so several servers on one etcd all serve the API while one runs each loop.
/// <c>--disable</c> leaves roles out (<see cref="ServerDisableFlags"/>).
/// </summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var apiServer = new ApiServerFlags();
        var election = new LeaderElectionFlags();
        var controllerManager = new ControllerManagerFlags(election, alone: false);
        var scheduler = new SchedulerFlags(election, alone: false);
        var disable = new ServerDisableFlags();
        var command = RoleCommand.Create("server",
            "Run the control plane: the apiserver (the v1 API — pods, services, endpoints, replication controllers, nodes, " +
            "namespaces, events — over etcd or the embedded store, for kubectl and the Kubernetes client libraries) and the " +
            "controller manager and the scheduler, which reach it through the API and each lead through their own Lease in " +
            "kube-system, so that of several servers on one etcd one runs the controllers and one schedules. " +
            "--disable scheduler,controllers leaves them out.",
            [apiServer, controllerManager, scheduler],
            parse =>
            {
                var api = (ApiServerRole)apiServer.Bind(parse);
                // Read when the role starts, after the apiserver has: its URL is known then.
                KubeClient Local() => new(api.Url ?? throw new RoleException("the apiserver role is not serving"));
                List<IRole> roles = [api];
                if (!disable.IsDisabled(parse, ServerDisableFlags.Controllers))
                {
                    roles.Add(controllerManager.Bind(parse, Local));
                }

                if (!disable.IsDisabled(parse, ServerDisableFlags.Scheduler))
                {
                    roles.Add(scheduler.Bind(parse, Local));
                }

                return roles;
            });
        disable.AddTo(command);
        return command;
    }
}
