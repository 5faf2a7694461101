using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Dataplane.Tests.Netfilter;

/// <summary>
/// A test node: a private network namespace with a syncer opened inside it, cluster IPs
/// (198.19.0.0/16) and node addresses (198.18.0.0/24) local on it, and pods on 198.18.1.0/24 in
/// a second namespace behind a veth pair, where the backends listen. Everything, including both
/// namespaces, goes away on dispose.
/// </summary>
internal sealed class NetfilterTestBed : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _backends = [];

    private NetfilterTestBed(NetworkNamespace ns, NetfilterSyncer syncer)
    {
        Namespace = ns;
        Syncer = syncer;
        Pods = PodNetwork.Attach(ns, [.. Enumerable.Range(1, 9).Select(i => $"198.18.1.{i}")]);
    }

    /// <summary>The pods' side: backends listen there on 198.18.1.1-9.</summary>
    public PodNetwork Pods { get; }

    public NetworkNamespace Namespace { get; }

    public NetfilterSyncer Syncer { get; }

    public static NetfilterTestBed Kernel()
    {
        var ns = NodeNamespace();
        try
        {
            return new NetfilterTestBed(ns, ns.Run(NetfilterSyncer.ForKernelMode));
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public static NetfilterTestBed Userspace(Func<ServicePortId, int?> proxyPort)
    {
        var ns = NodeNamespace();
        try
        {
            return new NetfilterTestBed(ns, ns.Run(() => NetfilterSyncer.ForUserspaceMode(proxyPort)));
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>A TCP backend named <paramref name="name"/> on pod address <paramref name="address"/>:8080.</summary>
    public IPEndPoint Backend(string name, string address)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), 8080);
        _backends.Add(Pods.Pods.Run(() => new TcpBackend(name, bind: endPoint)));
        return endPoint;
    }

    /// <summary>A TCP backend on the node itself (standing in for the proxy in userspace mode); returns where it listens.</summary>
    public IPEndPoint NodeBackend(string name, IPEndPoint bind)
    {
        var backend = Namespace.Run(() => new TcpBackend(name, bind: bind));
        _backends.Add(backend);
        return backend.EndPoint;
    }

    /// <summary>A UDP socket on the node bound to <paramref name="from"/>, for a client whose flow stays the same 5-tuple.</summary>
    public Socket UdpClient(IPEndPoint from) => Namespace.Run(() =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(from);
        return socket;
    });

    /// <summary>A UDP backend answering "name:datagram" on pod address <paramref name="address"/>:5353.</summary>
    public IPEndPoint UdpBackend(string name, string address)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), 5353);
        _backends.Add(Pods.Pods.Run(() => new UdpBackend(name, bind: endPoint)));
        return endPoint;
    }

    /// <summary>What <c>nft list table ip kpf</c> prints inside the namespace: the independent reader of what we programmed.</summary>
    public string ListTable() => Namespace.ExecChecked("nft", "list", "table", "ip", "kpf");

    /// <summary>Connects from inside the namespace (from <paramref name="from"/> if given) and returns the backend's name.</summary>
    public Task<string> Identify(IPEndPoint service, string? from = null) =>
        TcpClientHelpers.Identify(service, from is null ? null : IPAddress.Parse(from), Namespace);

    public async ValueTask DisposeAsync()
    {
        foreach (var b in _backends)
        {
            await b.DisposeAsync();
        }

        Syncer.Dispose();
        Pods.Dispose();
        Namespace.Dispose();
    }

    private static NetworkNamespace NodeNamespace() => NetworkNamespace.Create("198.19.0.0/16", "198.18.0.0/24");
}
