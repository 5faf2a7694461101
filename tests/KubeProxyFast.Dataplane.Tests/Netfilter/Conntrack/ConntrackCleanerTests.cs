using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Dataplane.Netfilter.Conntrack;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Conntrack;

/// <summary>
/// Real UDP flows DNATed by nft in a private namespace, deleted through ctnetlink, and checked
/// with <c>conntrack -L</c> as the independent reader.
/// </summary>
public sealed class ConntrackCleanerTests
{
    // Two services and a node port, each DNATed to its own endpoint in the namespace.
    private const string Rules = """
        table ip kpft {
            chain output {
                type nat hook output priority -100; policy accept;
                ip daddr 198.19.0.53 udp dport 53 dnat to 198.18.1.1:5353
                ip daddr 198.19.0.54 udp dport 53 dnat to 198.18.1.2:5353
                ip daddr 198.18.0.1 udp dport 30053 dnat to 198.18.1.3:5353
            }
        }
        """;

    private static readonly IPAddress Dns = IPAddress.Parse("198.19.0.53");
    private static readonly IPAddress OtherDns = IPAddress.Parse("198.19.0.54");
    private static readonly IPEndPoint DnsEndpoint = new(IPAddress.Parse("198.18.1.1"), 5353);
    private static readonly IPEndPoint OtherDnsEndpoint = new(IPAddress.Parse("198.18.1.2"), 5353);
    private static readonly IPEndPoint NodePortEndpoint = new(IPAddress.Parse("198.18.1.3"), 5353);

    [Fact]
    public async Task DeleteUdpFlowsToEndpoint_FlowDnatedToIt_DeletesOnlyThatFlow()
    {
        using var ns = NetworkNamespace.Create();
        await using var backends = Backends.Start(ns);
        Assert.Equal("a:q", Exchange(ns, 40000, Dns, 53));
        Assert.Equal("b:q", Exchange(ns, 40001, OtherDns, 53));
        Assert.Contains("src=198.18.0.5 dst=198.19.0.53 sport=40000 dport=53 src=198.18.1.1 dst=198.18.0.5 sport=5353 dport=40000", ListUdp(ns));

        var deleted = ns.Run(() =>
        {
            using var cleaner = new ConntrackCleaner();
            return cleaner.DeleteUdpFlowsToEndpoint(Dns, 53, DnsEndpoint);
        });

        Assert.Equal(1, deleted);
        var listing = ListUdp(ns);
        Assert.DoesNotContain("dst=198.19.0.53", listing);
        Assert.Contains("src=198.18.0.5 dst=198.19.0.54 sport=40001 dport=53", listing);
    }

    [Fact]
    public async Task DeleteUdpFlowsToEndpoint_AnotherEndpoint_LeavesTheFlow()
    {
        using var ns = NetworkNamespace.Create();
        await using var backends = Backends.Start(ns);
        Exchange(ns, 40000, Dns, 53);

        var deleted = ns.Run(() =>
        {
            using var cleaner = new ConntrackCleaner();
            return cleaner.DeleteUdpFlowsToEndpoint(Dns, 53, OtherDnsEndpoint);
        });

        Assert.Equal(0, deleted);
        Assert.Contains("dst=198.19.0.53 sport=40000 dport=53", ListUdp(ns));
    }

    [Fact]
    public async Task DeleteUdpFlowsTo_TwoClientsOfTheService_DeletesBothAndLeavesOtherServices()
    {
        using var ns = NetworkNamespace.Create();
        await using var backends = Backends.Start(ns);
        Exchange(ns, 40000, Dns, 53);
        Exchange(ns, 40001, Dns, 53);
        Exchange(ns, 40002, OtherDns, 53);

        var (first, again) = ns.Run(() =>
        {
            using var cleaner = new ConntrackCleaner();
            return (cleaner.DeleteUdpFlowsTo(Dns, 53), cleaner.DeleteUdpFlowsTo(Dns, 53));
        });

        Assert.Equal(2, first);
        Assert.Equal(0, again);
        var listing = ListUdp(ns);
        Assert.DoesNotContain("dst=198.19.0.53", listing);
        Assert.Contains("dst=198.19.0.54 sport=40002 dport=53", listing);
    }

    [Fact]
    public async Task DeleteUdpFlowsToNodePort_FlowsToThePort_DeletesThemAndLeavesServices()
    {
        using var ns = NetworkNamespace.Create();
        await using var backends = Backends.Start(ns);
        Assert.Equal("n:q", Exchange(ns, 40000, IPAddress.Parse("198.18.0.1"), 30053));
        Assert.Equal("n:q", Exchange(ns, 40001, IPAddress.Parse("198.18.0.1"), 30053));
        Exchange(ns, 40002, Dns, 53);

        var (viaOther, viaEndpoint, rest) = ns.Run(() =>
        {
            using var cleaner = new ConntrackCleaner();
            return (
                cleaner.DeleteUdpFlowsToNodePortEndpoint(30053, DnsEndpoint),
                cleaner.DeleteUdpFlowsToNodePortEndpoint(30053, NodePortEndpoint),
                cleaner.DeleteUdpFlowsToNodePort(30053));
        });

        Assert.Equal((0, 2, 0), (viaOther, viaEndpoint, rest));
        var listing = ListUdp(ns);
        Assert.DoesNotContain("dport=30053", listing);
        Assert.Contains("dst=198.19.0.53 sport=40002 dport=53", listing);
    }

    [Fact]
    public void DeleteUdpFlowsTo_EmptyTable_ReturnsZero()
    {
        using var ns = NetworkNamespace.Create();
        var deleted = ns.Run(() =>
        {
            using var cleaner = new ConntrackCleaner();
            return cleaner.DeleteUdpFlowsTo(Dns, 53) + cleaner.DeleteUdpFlowsToNodePort(30053);
        });

        Assert.Equal(0, deleted);
    }

    [Fact]
    public void DeleteUdpFlowsToEndpoint_BadArguments_ThrowBeforeAnyKernelCall()
    {
        using var ns = NetworkNamespace.Create();
        ns.Run(() =>
        {
            using var cleaner = new ConntrackCleaner();
            Assert.Throws<ArgumentException>(() => cleaner.DeleteUdpFlowsTo(IPAddress.IPv6Loopback, 53));
            Assert.Throws<ArgumentOutOfRangeException>(() => cleaner.DeleteUdpFlowsTo(Dns, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => cleaner.DeleteUdpFlowsToEndpoint(Dns, 53, new IPEndPoint(DnsEndpoint.Address, 0)));
            return 0;
        });
    }

    /// <summary>Sends "q" from 198.18.0.5:<paramref name="sourcePort"/> inside the namespace and returns the reply.</summary>
    private static string Exchange(NetworkNamespace ns, int sourcePort, IPAddress service, int port) => ns.Run(() =>
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        client.Bind(new IPEndPoint(IPAddress.Parse("198.18.0.5"), sourcePort));
        client.SendTo("q"u8, new IPEndPoint(service, port));
        var buffer = new byte[64];
        var n = client.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    });

    private static string ListUdp(NetworkNamespace ns) => ns.ExecChecked("conntrack", "-L", "-p", "udp");

    /// <summary>The rules and the three endpoints, inside the namespace.</summary>
    private sealed class Backends : IAsyncDisposable
    {
        private readonly UdpBackend[] _backends;

        private Backends(UdpBackend[] backends) => _backends = backends;

        public static Backends Start(NetworkNamespace ns)
        {
            var path = Path.Combine(Path.GetTempPath(), $"{ns.Name}-conntrack.nft");
            File.WriteAllText(path, Rules);
            try
            {
                ns.ExecChecked("nft", "-f", path);
            }
            finally
            {
                File.Delete(path);
            }

            return new Backends(ns.Run(() => new[]
            {
                new UdpBackend("a", bind: DnsEndpoint),
                new UdpBackend("b", bind: OtherDnsEndpoint),
                new UdpBackend("n", bind: NodePortEndpoint),
            }));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var backend in _backends)
            {
                await backend.DisposeAsync();
            }
        }
    }
}
