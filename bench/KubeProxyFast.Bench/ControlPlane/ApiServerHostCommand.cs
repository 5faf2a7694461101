using KubeProxyFast.ApiServer;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Storage.Etcd;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// <c>apiserver-host (--etcd URL | --data-dir DIR) [--port N] [--service-cluster-ip-range CIDR]</c>: the apiserver alone in this
/// process, so the benchmark can read its RSS apart from the load generator's. Prints
/// <c>listening URL</c>, then serves until its stdin closes — when the benchmark ends or dies.
/// </summary>
internal static class ApiServerHostCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = Args.Int(args, "--port", 0);
        await using IStore store = Args.Get(args, "--etcd") is { } etcd
            ? new EtcdStore(etcd)
            : EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Args.Get(args, "--data-dir") ?? throw new ArgumentException("--etcd URL or --data-dir DIR") });
        await using var host = await ApiServerHost.StartAsync(store, new ApiServerOptions
        {
            Port = port,
            ServiceClusterIpRange = Args.Get(args, "--service-cluster-ip-range") ?? new ApiServerOptions().ServiceClusterIpRange,
        }, NullLoggerFactory.Instance).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"listening {host.Url}").ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }

        return 0;
    }
}
