using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Netfilter.Sync;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Testing;
using static KubeProxyFast.Dataplane.Tests.Netfilter.NetfilterSpecs;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Sync;

/// <summary>Kernel mode in a private network namespace: what nft reads back, and real traffic to cluster IPs.</summary>
public sealed class KernelModeTests
{
    private static readonly IPEndPoint Service = new(IPAddress.Parse("198.19.0.10"), 80);

    [Fact]
    public async Task Sync_ThreeEndpoints_NftListsTheRulesAndTrafficReachesEveryEndpoint()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var endpoints = new[] { bed.Backend("b1", "198.18.1.1"), bed.Backend("b2", "198.18.1.2"), bed.Backend("b3", "198.18.1.3") };
        var result = bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, endpoints)));

        Assert.True(result.Full);
        var listing = bed.ListTable();
        Assert.Contains("198.19.0.10 . tcp . 80 : goto pick-tcp-3", listing);
        // numgen picks one of three slots uniformly; each slot of the endpoint map holds one endpoint.
        Assert.Contains("dnat ip to ip daddr . tcp dport . numgen random mod 3 map @endpoints", listing);
        Assert.Contains("198.19.0.10 . 80 . 0 : 198.18.1.1 . 8080", listing);
        Assert.Contains("198.19.0.10 . 80 . 2 : 198.18.1.3 . 8080", listing);
        Assert.Contains("198.18.1.2 . 198.18.1.2", listing);
        Assert.Contains("ct status dnat oif != \"lo\" ip saddr . ip daddr @hairpin masquerade", listing);
        Assert.Contains("meta mark & 0x00004000 == 0x00004000", listing);
        Assert.Contains("type nat hook output priority -100; policy accept;", listing);
        Assert.Empty(bed.Syncer.Verify());

        var hits = new Dictionary<string, int>();
        for (var i = 0; i < 90; i++)
        {
            var backend = await bed.Identify(Service);
            hits[backend] = hits.GetValueOrDefault(backend) + 1;
        }

        // Binomial(90, 1/3): mean 30, sd 4.5; every endpoint gets at least 10 beyond 4 sd.
        Assert.Equal(3, hits.Count);
        Assert.All(hits.Values, n => Assert.InRange(n, 10, 60));
    }

    [Fact]
    public async Task Sync_ClientIPAffinity_EachClientSticksToOneEndpoint()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var endpoints = new[] { bed.Backend("b1", "198.18.1.1"), bed.Backend("b2", "198.18.1.2"), bed.Backend("b3", "198.18.1.3") };
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, endpoints) with { Affinity = SessionAffinity.ForClientIP(TimeSpan.FromMinutes(5)) }));

        var chosen = new HashSet<string>();
        for (var client = 1; client <= 8; client++)
        {
            var from = $"198.18.0.{client + 10}";
            var first = await bed.Identify(Service, from);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(first, await bed.Identify(Service, from));
            }

            chosen.Add(first);
        }

        // Eight clients choosing at random among three: all on one endpoint has probability 3 × (1/3)^8 ≈ 0.05%.
        Assert.True(chosen.Count > 1);
        var listing = bed.ListTable();
        Assert.Contains("set aff-default/web/http/198.18.1.1/8080", listing);
        Assert.Contains("timeout 5m", listing);
        Assert.Contains("update @aff-default/web/http/198.18.1.2/8080 { ip saddr }", listing);
    }

    [Fact]
    public async Task Sync_NoEndpoints_ConnectionIsRefusedAtOnce()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        bed.Syncer.Sync(SnapshotOf(Tcp("empty", "198.19.0.10", 80), Tcp("web", "198.19.0.11", 80, b1)));

        var e = await Assert.ThrowsAsync<SocketException>(() => bed.Identify(Service));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
        var listing = bed.ListTable();
        Assert.Contains("198.19.0.10 . tcp . 80 : goto reject-chain", listing);
        Assert.Matches(@"counter packets [1-9][0-9]* bytes [0-9]+ reject with tcp reset", listing);
        Assert.Equal("b1", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.11"), 80)));
    }

    [Fact]
    public async Task Sync_NodePortAndExternalIP_ReachTheEndpoint()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1) with { NodePort = 30080, ExternalIPs = [IPAddress.Parse("198.19.9.9")] }));

        // 198.18.0.0/24 is local on the test node, so 198.18.0.1 is one of "this node's" addresses;
        // the reply comes back because the node masquerades external traffic to the pod network.
        Assert.Equal("b1", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 30080)));
        Assert.Equal("b1", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.9.9"), 80)));
        var listing = bed.ListTable();
        Assert.Contains("tcp . 30080 : goto nodeport-pick-tcp-1", listing);
        Assert.Contains("198.19.9.9 . tcp . 80 : goto ext-pick-tcp-1", listing);
    }

    [Fact]
    public async Task Sync_UdpEndpointReplaced_StaleConntrackEntryIsDeletedAndTheFlowMoves()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var u1 = bed.UdpBackend("u1", "198.18.1.1");
        var u2 = bed.UdpBackend("u2", "198.18.1.2");
        var dns = Tcp("dns", "198.19.0.53", 53, u1) with { Protocol = L4Protocol.Udp };
        bed.Syncer.Sync(SnapshotOf(dns));
        using var client = bed.UdpClient(new IPEndPoint(IPAddress.Parse("198.18.0.5"), 40000));
        var service = new IPEndPoint(IPAddress.Parse("198.19.0.53"), 53);
        Assert.Equal("u1:q1", await Ask(client, service, "q1"));

        var result = bed.Syncer.Sync(SnapshotOf(dns with { Endpoints = [u2] }));

        // The same 5-tuple again: without the cleanup its conntrack entry would still lead to u1, which still answers.
        Assert.Equal(1, result.ConntrackEntriesDeleted);
        Assert.Null(result.ConntrackError);
        Assert.Equal("u2:q2", await Ask(client, service, "q2"));
    }

    [Fact]
    public async Task Sync_PodReachesItselfThroughItsService_HairpinIsMasqueraded()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1)));

        // Without masquerade the pod would answer itself directly, from the wrong address, and the connect would hang.
        Assert.Equal("b1", await TcpClientHelpers.Identify(Service, IPAddress.Parse("198.18.1.1"), bed.Pods.Pods));
    }

    [Fact]
    public async Task Sync_EndpointConnectsToItselfDirectlyOrThroughItsService_ReachesItself()
    {
        // One namespace where the endpoint's address is local and lo has no address to masquerade
        // to: a masqueraded connection from the endpoint to itself is dropped there.
        using var ns = NetworkNamespace.Create();
        var endpoint = new IPEndPoint(IPAddress.Parse("198.18.1.1"), 8081);
        await using var backend = ns.Run(() => new TcpBackend("b", bind: endpoint));
        Assert.Equal("b", await TcpClientHelpers.Identify(endpoint, inside: ns));
        using var syncer = ns.Run(NetfilterSyncer.ForKernelMode);

        syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, endpoint)));

        // Not through any service: untouched, from the endpoint's own address to itself.
        Assert.Equal("b", await TcpClientHelpers.Identify(endpoint, inside: ns));
        Assert.Equal("b", await TcpClientHelpers.Identify(endpoint, endpoint.Address, ns));
        Assert.Equal("b", await TcpClientHelpers.Identify(Service, inside: ns));
        // Through its service, back to itself on this host: this conntrack undoes the DNAT, no masquerade.
        Assert.Equal("b", await TcpClientHelpers.Identify(Service, endpoint.Address, ns));
    }

    [Fact]
    public async Task Sync_EndpointReplaced_IncrementalBatchTakesEffectAndKeepsOtherPorts()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        var b2 = bed.Backend("b2", "198.18.1.2");
        var other = Tcp("other", "198.19.0.20", 80, b1);
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1), other));
        Assert.Equal("b1", await bed.Identify(Service));

        var result = bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b2), other));

        Assert.False(result.Full);
        // Elements only — the slot of b1 deleted, b2's slot and hairpin element added (b1's hairpin
        // element stays: "other" still uses b1) — and no rule or chain.
        Assert.Equal(3, result.Messages);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("b2", await bed.Identify(Service));
        }

        Assert.Equal("b1", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.20"), 80)));
        Assert.DoesNotContain("ep-default/web/http/198.18.1.1/8080", bed.ListTable());
        Assert.Empty(bed.Syncer.Verify());
    }

    [Fact]
    public async Task Sync_EndpointAdded_PortMovesToTheNextPickChainAndReachesEveryEndpoint()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        var b2 = bed.Backend("b2", "198.18.1.2");
        var b3 = bed.Backend("b3", "198.18.1.3");
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1, b2)));

        var result = bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1, b2, b3)));

        Assert.False(result.Full);
        var listing = bed.ListTable();
        Assert.Contains("198.19.0.10 . tcp . 80 : goto pick-tcp-3", listing);
        Assert.DoesNotContain("pick-tcp-2", listing);
        var hits = new HashSet<string>();
        for (var i = 0; i < 60 && hits.Count < 3; i++)
        {
            hits.Add(await bed.Identify(Service));
        }

        // 60 tries missing one of three endpoints: probability 3 × (2/3)^60 ≈ 10^-10.
        Assert.Equal(3, hits.Count);
        Assert.Empty(bed.Syncer.Verify());
    }

    [Fact]
    public async Task Sync_PortRemovedAndAdded_IncrementalMatchesAFreshFullSync()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        var b2 = bed.Backend("b2", "198.18.1.2");
        bed.Syncer.Sync(SnapshotOf(Tcp("a", "198.19.0.10", 80, b1, b2), Tcp("b", "198.19.0.11", 80, b1) with { NodePort = 30001 }));
        var target = SnapshotOf(
            Tcp("b", "198.19.0.11", 80, b2) with { Affinity = SessionAffinity.ForClientIP(TimeSpan.FromSeconds(30)) },
            Tcp("c", "198.19.0.12", 81, b1, b2) with { ExternalIPs = [IPAddress.Parse("198.19.9.1")] });

        Assert.False(bed.Syncer.Sync(target).Full);
        var incremental = NormalizedListing(bed.ListTable());

        await using var fresh = NetfilterTestBed.Kernel();
        fresh.Syncer.Sync(target);
        Assert.Equal(NormalizedListing(fresh.ListTable()), incremental);
        Assert.Equal("b2", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.11"), 80)));
    }

    [Fact]
    public async Task Sync_KernelRefusesBatch_PreviousRulesStayAndNextSyncIsFull()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        var web = Tcp("web", "198.19.0.10", 80, b1);
        bed.Syncer.Sync(SnapshotOf(web, Tcp("gone", "198.19.0.11", 80, b1)));
        // Someone else deletes an element we own; our incremental delete of it will then fail.
        bed.Namespace.ExecChecked("nft", "delete", "element", "ip", "kpf", "service-ips", "{ 198.19.0.11 . tcp . 80 }");
        var before = bed.ListTable();

        var e = Assert.Throws<NetfilterException>(() => bed.Syncer.Sync(SnapshotOf(web, Tcp("new", "198.19.0.12", 80, b1))));

        Assert.Contains("delete element kpf/service-ips: ENOENT", e.Message);
        Assert.Equal(before, bed.ListTable());
        Assert.True(bed.Syncer.FullSyncNeeded);
        Assert.True(bed.Syncer.Sync(SnapshotOf(web, Tcp("new", "198.19.0.12", 80, b1))).Full);
        Assert.Equal("b1", await bed.Identify(new IPEndPoint(IPAddress.Parse("198.19.0.12"), 80)));
    }

    [Fact]
    public async Task Reconcile_TableDeletedBySomeoneElse_IsRestored()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1)));
        Assert.Empty(bed.Syncer.Reconcile());
        bed.Namespace.ExecChecked("nft", "delete", "table", "ip", "kpf");

        var repaired = bed.Syncer.Reconcile();

        Assert.Equal(["table ip kpf is missing"], repaired);
        Assert.Equal("b1", await bed.Identify(Service));
        Assert.Empty(bed.Syncer.Verify());
    }

    [Fact]
    public async Task Verify_ChainFlushedBySomeoneElse_IsReportedAndRepaired()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var b1 = bed.Backend("b1", "198.18.1.1");
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, b1)));
        bed.Namespace.ExecChecked("nft", "flush", "chain", "ip", "kpf", "services");

        Assert.Equal(["chain services has no rules"], bed.Syncer.Reconcile());
        Assert.Equal("b1", await bed.Identify(Service));
    }

    [Fact]
    public async Task Sync_InvalidSnapshot_IsRefusedBeforeAnythingIsSent()
    {
        await using var bed = NetfilterTestBed.Kernel();
        var bad = SnapshotOf(
            Tcp("v6", "198.19.0.10", 80) with { ClusterIP = IPAddress.Parse("fd00::10") },
            Tcp("port", "198.19.0.11", 70000),
            Tcp("dup", "198.19.0.12", 80),
            Tcp("dup2", "198.19.0.12", 80));

        var e = Assert.Throws<ArgumentException>(() => bed.Syncer.Sync(bad));

        Assert.Contains("default/v6:http: cluster IP fd00::10 is not IPv4", e.Message);
        Assert.Contains("default/port:http: port 70000 must be between 1 and 65535", e.Message);
        Assert.Contains("198.19.0.12:80/Tcp is already taken by default/dup:http", e.Message);
        Assert.NotEqual(0, bed.Namespace.Exec("nft", "list", "table", "ip", "kpf").ExitCode);
    }

    [Fact]
    public async Task DeleteTable_RemovesOnlyOurTable()
    {
        await using var bed = NetfilterTestBed.Kernel();
        bed.Namespace.ExecChecked("nft", "add", "table", "ip", "someone-else");
        bed.Syncer.Sync(SnapshotOf(Tcp("web", "198.19.0.10", 80, bed.Backend("b1", "198.18.1.1"))));

        bed.Syncer.DeleteTable();

        var ruleset = bed.Namespace.ExecChecked("nft", "list", "ruleset");
        Assert.DoesNotContain("table ip kpf", ruleset);
        Assert.Contains("table ip someone-else", ruleset);
    }

    private static async Task<string> Ask(Socket client, IPEndPoint service, string query)
    {
        await client.SendToAsync(System.Text.Encoding.ASCII.GetBytes(query), service);
        var buffer = new byte[512];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await client.ReceiveAsync(buffer, cts.Token);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    /// <summary>The listing with anonymous-set numbering and handles left out, lines sorted: an order-insensitive comparison.</summary>
    private static List<string> NormalizedListing(string listing) =>
        [.. listing.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Order(StringComparer.Ordinal)];
}
