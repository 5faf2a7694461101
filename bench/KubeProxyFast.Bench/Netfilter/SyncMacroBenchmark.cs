using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using KubeProxyFast.Dataplane.Netfilter.IptablesRestore;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.Netfilter;

/// <summary>
/// <c>netfilter-sync --services N --endpoints E [--nft-out F] [--iptables-out F]</c>: in a fresh
/// network namespace, times a full sync of N services × E endpoints in kernel mode and the
/// incremental sync of one changed service, and prints one JSON line with the figures and this
/// process's peak RSS. It can write the equivalent rules for the peers: what nft lists back (for
/// <c>nft -f</c>) and the iptables-restore rendering. bench/netfilter/run.sh drives it.
/// </summary>
internal static class SyncMacroBenchmark
{
    private const int IncrementalRounds = 21;

    public static int Run(string[] args)
    {
        var services = int.Parse(Arg(args, "--services") ?? "1000", CultureInfo.InvariantCulture);
        var endpoints = int.Parse(Arg(args, "--endpoints") ?? "5", CultureInfo.InvariantCulture);
        var snapshot = Build(services, endpoints);

        using var ns = NetworkNamespace.Create("198.19.0.0/16");
        using var syncer = ns.Run(NetfilterSyncer.ForKernelMode);
        var cold = syncer.Sync(snapshot);
        // A long-running proxy's full syncs after the first run warm (JIT done); measure one of those too.
        syncer.RequestFullSync();
        var full = syncer.Sync(snapshot);
        var incremental = new List<double>();
        var incrementalKernel = new List<double>();
        var messages = 0;
        for (var round = 0; round < IncrementalRounds; round++)
        {
            var changed = ChangeOne(snapshot, round);
            var r = syncer.Sync(changed);
            incremental.Add(r.Elapsed.TotalMilliseconds);
            incrementalKernel.Add(r.KernelTime.TotalMilliseconds);
            messages = r.Messages;
            snapshot = changed;
        }

        // The peak of the syncing process, before the peers' files are made (not part of a sync).
        var peakRss = PeakRssKb();
        if (syncer.Verify() is { Count: > 0 } drift)
        {
            throw new InvalidOperationException("the kernel does not hold what was synced: " + string.Join("; ", drift.Take(5)));
        }

        if (Arg(args, "--nft-out") is { } nftOut)
        {
            File.WriteAllText(nftOut, ns.ExecChecked("nft", "list", "table", "ip", "kpf"));
        }

        if (Arg(args, "--iptables-out") is { } iptablesOut)
        {
            using var file = new StreamWriter(iptablesOut);
            IptablesRestoreRenderer.Render(snapshot, file, new IptablesRenderOptions { HookJumps = IptablesHookJump.All });
        }

        incremental.Sort();
        incrementalKernel.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"services\":{services},\"endpoints\":{endpoints},\"cold_full_ms\":{cold.Elapsed.TotalMilliseconds:0.0},\"full_ms\":{full.Elapsed.TotalMilliseconds:0.0},\"full_kernel_ms\":{full.KernelTime.TotalMilliseconds:0.0},\"full_messages\":{full.Messages},\"full_bytes\":{full.Bytes},\"incremental_ms\":{incremental[incremental.Count / 2]:0.000},\"incremental_max_ms\":{incremental[^1]:0.000},\"incremental_kernel_ms\":{incrementalKernel[incrementalKernel.Count / 2]:0.000},\"incremental_messages\":{messages},\"peak_rss_kb\":{peakRss}}}"));
        return 0;
    }

    /// <summary>N services on 198.19.x.y:80, E endpoints each on 198.18.a.b:8080 (distinct across services).</summary>
    private static ProxySnapshot Build(int services, int endpointsEach)
    {
        var ports = new List<ServicePortSpec>(services);
        for (var i = 0; i < services; i++)
        {
            var endpoints = ImmutableArray.CreateBuilder<IPEndPoint>(endpointsEach);
            for (var e = 0; e < endpointsEach; e++)
            {
                endpoints.Add(Endpoint((i * endpointsEach) + e));
            }

            ports.Add(new ServicePortSpec
            {
                Id = new ServicePortId("bench", "svc-" + i.ToString(CultureInfo.InvariantCulture), "http"),
                Protocol = L4Protocol.Tcp,
                ClusterIP = new IPAddress([198, 19, (byte)(i >> 8), (byte)i]),
                Port = 80 + (i >> 16),
                Endpoints = endpoints.MoveToImmutable(),
            });
        }

        return new ProxySnapshot(ports);
    }

    /// <summary>The snapshot with one service's last endpoint replaced, as a pod restart does.</summary>
    private static ProxySnapshot ChangeOne(ProxySnapshot snapshot, int round)
    {
        var ports = snapshot.Ports.ToBuilder();
        var index = (round * 7919) % ports.Count;
        var spec = ports[index];
        ports[index] = spec with { Endpoints = spec.Endpoints.SetItem(spec.Endpoints.Length - 1, new IPEndPoint(IPAddress.Parse("198.18.255.1"), 9000 + round)) };
        return new ProxySnapshot(ports);
    }

    private static IPEndPoint Endpoint(int n) => new(new IPAddress([198, 18, (byte)(n >> 8), (byte)n]), 8080 + (n >> 16));

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static long PeakRssKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
