using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles;
using KubeProxyFast.Cli.Roles.ApiServer;
using KubeProxyFast.Cli.Roles.ApiServer.Pki;
using KubeProxyFast.Cli.Roles.ControllerManager;
using KubeProxyFast.Cli.Roles.Scheduler;
using KubeProxyFast.Controllers.Certificates;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf server</c>: the server roles, as k3s runs them: the apiserver (<see cref="ApiServerRole"/>),
/// then the controller manager (<see cref="ControllerManagerRole"/>) and the scheduler
/// (<see cref="SchedulerRole"/>), each but the apiserver
/// reaching the apiserver of the same process over HTTPS on loopback, as its own user (a client
/// certificate of the server's PKI), and leading through its own Lease, so several servers on one etcd all serve the API while one runs each loop.
/// <c>--disable</c> leaves roles out (<see cref="ServerDisableFlags"/>).
/// </summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var apiServer = new ApiServerFlags();
        var election = new LeaderElectionFlags();
        var controllerManager = new ControllerManagerFlags(election, alone: false, apiServer.ServiceClusterIpRange);
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
                // Made when each role starts, after the apiserver has: its URL and certificates exist then.
                // Each component is itself (its own client certificate), never the admin: RBAC grants it what it needs.
                List<IRole> roles = [api];
                if (!disable.IsDisabled(parse, ServerDisableFlags.Controllers))
                {
                    // Certificate requests (kubelets joining) are signed by the server's own CAs, as k3s's.
                    var tls = new TlsDirectory(api.DataDirectory);
                    var signing = CsrSigningOptions.ForClusterPki(tls.ClientCaCertificate, tls.ClientCaKey, tls.ServerCaCertificate, tls.ServerCaKey);
                    roles.Add(controllerManager.Bind(parse, () => api.ClientAs(ClientIdentity.ControllerManager), signing));
                }

                if (!disable.IsDisabled(parse, ServerDisableFlags.Scheduler))
                {
                    roles.Add(scheduler.Bind(parse, () => api.ClientAs(ClientIdentity.Scheduler)));
                }

                return roles;
            });
        disable.AddTo(command);
        return command;
    }
}
