using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using static KubeProxyFast.Dataplane.Tests.Netfilter.NetfilterSpecs;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Sync;

/// <summary>
/// A UDP service in userspace mode, the real engine behind the REDIRECT rules: the client's
/// datagram reaches the proxy port with its destination rewritten, and the reply must leave from
/// the address and port it arrived on, or conntrack cannot undo the REDIRECT and a client whose
/// socket is connected to the service (as a resolver's is) drops the reply.
/// </summary>
public sealed class UserspaceModeUdpTests
{
    private static readonly IPEndPoint Service = new(IPAddress.Parse("198.19.0.53"), 53);

    [Fact]
    public async Task Query_LocalAndPodClientsWithConnectedSockets_GetTheAnswerFromTheServiceAddress()
    {
        await using var dns = await DnsProxy.StartAsync();
        var bed = dns.Bed;
        bed.Syncer.Sync(SnapshotOf(dns.Service));

        // On the node the cluster IP is local, so the client's source is the cluster IP itself and
        // the REDIRECT (output hook) sends its datagram to 127.0.0.1:<proxy port>.
        using var local = bed.Namespace.Run(() => Connected(Service));
        Assert.Equal("dns:local-1", await Ask(local, "local-1"));
        Assert.Equal("dns:local-2", await Ask(local, "local-2"));

        // A pod behind the veth: the REDIRECT (prerouting hook) sends its datagram to the node's
        // address on the pod network.
        using var pod = bed.Pods.Pods.Run(() => Connected(Service, IPAddress.Parse("198.18.1.2")));
        Assert.Equal("dns:pod-1", await Ask(pod, "pod-1"));
    }

    [Fact]
    public async Task Sync_UdpPortRedirectedAfterTheClientStartedAsking_StaleFlowIsDeletedAndTheClientGetsTheAnswer()
    {
        await using var dns = await DnsProxy.StartAsync();
        var bed = dns.Bed;
        // The table exists (its NAT hooks turn conntrack on in the namespace) before the port is
        // redirected, as when the proxy starts while the client already asks.
        bed.Syncer.Sync(SnapshotOf());
        using var local = bed.Namespace.Run(() => Connected(Service));
        // Nothing listens on 198.19.0.53:53 yet, and conntrack records the flow un-NATed; NAT is
        // decided on a flow's first datagram only.
        await local.SendAsync("early"u8.ToArray());
        // The port unreachable comes back as the socket's error (read here, so it is not the reply to the next query).
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await local.ReceiveAsync(new byte[512]));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Contains("dport=53", bed.Namespace.ExecChecked("conntrack", "-L", "-p", "udp", "--orig-dst", "198.19.0.53"), StringComparison.Ordinal);

        var result = bed.Syncer.Sync(SnapshotOf(dns.Service));

        Assert.Null(result.ConntrackError);
        Assert.Equal(1, result.ConntrackEntriesDeleted);
        Assert.Equal("dns:late", await Ask(local, "late"));
    }

    private static Socket Connected(IPEndPoint service, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        socket.Connect(service);
        return socket;
    }

    /// <summary>Sends <paramref name="query"/> on a connected socket: only a reply from the service address is received.</summary>
    private static async Task<string> Ask(Socket client, string query)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(query));
        var buffer = new byte[512];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var n = await client.ReceiveAsync(buffer, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no reply to {query} from {Service} within 5 s");
        }
    }

    /// <summary>
    /// A userspace-mode test bed whose engine proxies the UDP service "dns" (198.19.0.53:53, one
    /// backend in the pod namespace); the bed's rules are left for each test to sync.
    /// </summary>
    private sealed class DnsProxy : IAsyncDisposable
    {
        private readonly ProxyEngine _engine;

        private DnsProxy(NetfilterTestBed bed, ProxyEngine engine, ServicePortSpec service)
        {
            Bed = bed;
            _engine = engine;
            Service = service;
        }

        /// <summary>The test bed: namespaces, backend, rule syncer.</summary>
        public NetfilterTestBed Bed { get; }

        /// <summary>The service port the engine proxies.</summary>
        public ServicePortSpec Service { get; }

        /// <summary>Creates the bed and the engine, and applies the service to the engine.</summary>
        public static async Task<DnsProxy> StartAsync()
        {
            ProxyEngine? engine = null;
            var bed = NetfilterTestBed.Userspace(id => engine!.ProxyPorts.TryGetValue(id, out var p) ? p : null);
            try
            {
                var endpoint = bed.UdpBackend("dns", "198.18.1.1");
                // Created in the node's namespace: the loops (which open the sessions) inherit it.
                engine = bed.Namespace.Run(() => new ProxyEngine(new ProxyEngineOptions
                {
                    Listen = ListenMode.ProxyPort,
                    UdpIdleTimeout = TimeSpan.FromSeconds(30),
                }));
                var dns = Tcp("dns", "198.19.0.53", 53, endpoint) with { Protocol = L4Protocol.Udp };
                var proxy = engine;
                bed.Namespace.Run(() => proxy.Apply(SnapshotOf(dns)));
                return new DnsProxy(bed, engine, dns);
            }
            catch
            {
                engine?.Dispose();
                await bed.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _engine.Dispose();
            await Bed.DisposeAsync();
        }
    }
}
