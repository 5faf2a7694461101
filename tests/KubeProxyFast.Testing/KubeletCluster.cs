using System.Text.Json.Nodes;

namespace KubeProxyFast.Testing;

/// <summary>
/// A cluster of machines on one <see cref="L2Switch"/>: a server namespace (198.18.0.1) running
/// <c>kpf server</c> (apiserver, scheduler, controllers; node IPAM cutting pod CIDRs from
/// 198.18.128.0/17, Services from 198.19.0.0/16) and <see cref="KubeletNode"/>s (198.18.0.11, .12, …),
/// each kubelet reaching the server through a relay into the server's namespace (the apiserver listens
/// on loopback only). Pods on different nodes reach each other over the switch, by the host-gw routes
/// the kubelets install. Everything goes on dispose, also when the test failed.
/// </summary>
public sealed class KubeletCluster : IAsyncDisposable
{
    private readonly L2Switch _switch;
    private readonly List<KubeletNode> _nodes = [];

    private KubeletCluster(L2Switch sw, NetworkNamespace serverNamespace, string directory)
    {
        _switch = sw;
        ServerNamespace = serverNamespace;
        Directory = directory;
    }

    /// <summary>The server machine's namespace.</summary>
    public NetworkNamespace ServerNamespace { get; }

    /// <summary>The server's data directory's parent; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The server.</summary>
    public KpfServerProcess Server { get; private set; } = null!;

    /// <summary>The nodes, in the order they were asked for.</summary>
    public IReadOnlyList<KubeletNode> Nodes => _nodes;

    /// <summary>The server's address on the switch.</summary>
    public static string ServerAddress => "198.18.0.1";

    /// <summary>
    /// Starts the server and one node per entry of <paramref name="nodes"/> (their addresses and names
    /// must differ; the cluster's ranges are taken from the first), and returns once every Node is
    /// Ready and has its pod CIDR.
    /// </summary>
    public static async Task<KubeletCluster> StartAsync(params KubeletNodeOptions[] nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Length == 0)
        {
            nodes = [new KubeletNodeOptions { NodeName = "node-a", Address = "198.18.0.11" }, new KubeletNodeOptions { NodeName = "node-b", Address = "198.18.0.12" }];
        }

        var sw = L2Switch.Create();
        KubeletCluster? cluster = null;
        try
        {
            var ns = NetworkNamespace.Create("");
            cluster = new KubeletCluster(sw, ns, System.IO.Directory.CreateTempSubdirectory("kpf-cluster-").FullName);
            sw.Connect(ns, ServerAddress);
            var first = nodes[0];
            cluster.Server = await KpfServerProcess.StartAsync(ns, System.IO.Directory.CreateDirectory(Path.Combine(cluster.Directory, "server")).FullName,
            [
                "--cluster-cidr", first.ClusterCidr, "--service-cluster-ip-range", first.ServiceCidr, .. first.ServerArgs,
            ]);
            foreach (var options in nodes)
            {
                cluster._nodes.Add(await KubeletNode.StartInClusterAsync(options, sw, ns, cluster.Server));
            }

            foreach (var node in cluster._nodes.Where(n => n.Options.StartKubelet))
            {
                await node.WaitReadyAsync();
                await node.WaitForAsync($"/api/v1/nodes/{node.Name}", n => n["spec"]?["podCIDR"] is not null, $"node {node.Name} has a pod CIDR");
            }

            return cluster;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            else
            {
                sw.Dispose();
            }

            throw;
        }
    }

    /// <summary>The node named <paramref name="name"/>.</summary>
    public KubeletNode this[string name] => _nodes.Single(n => n.Name == name);

    /// <summary>The pod CIDR the controller manager gave <paramref name="node"/>.</summary>
    public static async Task<string> PodCidrOfAsync(KubeletNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        JsonObject n = await node.GetAsync($"/api/v1/nodes/{node.Name}");
        return (string?)n["spec"]?["podCIDR"] ?? throw new InvalidOperationException($"node {node.Name} has no pod CIDR");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        var errors = new List<Exception>();
        foreach (var node in _nodes)
        {
            try
            {
                await node.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                errors.Add(e);
            }
        }

        try
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
        finally
        {
            ServerNamespace.Dispose();
            _switch.Dispose();
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("tearing the cluster down", errors);
        }
    }
}
