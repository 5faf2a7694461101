using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Netfilter.IptablesRestore;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.IptablesRestore;

/// <summary>
/// The rendered text loaded by the real <c>iptables-restore --noflush</c> into a private network
/// namespace, read back with <c>iptables-save</c>, and driven with real connections there.
/// </summary>
public sealed partial class IptablesRestoreRendererTests
{
    private static readonly IptablesRenderOptions WithHookJumps = new() { HookJumps = IptablesHookJump.All };

    [Fact]
    public void Restore_SmallSnapshot_SaveHoldsExactlyTheRenderedRules()
    {
        using var ns = NetworkNamespace.Create();
        var text = IptablesRestoreRenderer.Render(SmallSnapshot(), WithHookJumps);

        Restore(ns, text);

        var expected = IptablesSaveForm.RulesAndChains(text).Select(IptablesSaveForm.Of).Order(StringComparer.Ordinal);
        Assert.Equal(expected, IptablesSaveForm.RulesAndChains(Save(ns)));
    }

    [Fact]
    public void Restore_Twice_DoesNotDuplicateRules()
    {
        using var ns = NetworkNamespace.Create();
        var snapshot = SmallSnapshot();
        Restore(ns, IptablesRestoreRenderer.Render(snapshot, WithHookJumps));
        var first = IptablesSaveForm.RulesAndChains(Save(ns));

        // The second load asks only for the jumps the tables lack (none), as a sync loop would;
        // every chain of ours is declared, so flushed, and rewritten.
        var missing = IptablesHookJump.MissingFrom(Save(ns));
        Restore(ns, IptablesRestoreRenderer.Render(snapshot, new IptablesRenderOptions { HookJumps = missing }));
        Restore(ns, IptablesRestoreRenderer.Render(snapshot));

        Assert.Empty(missing);
        Assert.Equal(first, IptablesSaveForm.RulesAndChains(Save(ns)));
        Assert.Equal(first.Count, first.Distinct().Count());
    }

    [Fact]
    public void Restore_ServicePortRemoved_ItsChainsAreDeleted()
    {
        using var ns = NetworkNamespace.Create();
        Restore(ns, IptablesRestoreRenderer.Render(SmallSnapshot(), WithHookJumps));
        var smaller = new ProxySnapshot(SmallSnapshot().Ports.Where(p => p.Id.Name != "sticky"));

        Restore(ns, IptablesRestoreRenderer.Render(smaller, IptablesRenderOptions.FromSave(Save(ns))));

        // Exactly what a first load of the smaller snapshot leaves: no KUBE-SVC/EXT/SEP of sticky.
        var text = IptablesRestoreRenderer.Render(smaller, WithHookJumps);
        var expected = IptablesSaveForm.RulesAndChains(text).Select(IptablesSaveForm.Of).Order(StringComparer.Ordinal);
        var saved = Save(ns);
        Assert.Equal(expected, IptablesSaveForm.RulesAndChains(saved));
        Assert.DoesNotContain(StickySvc["KUBE-SVC-".Length..], saved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_ThreeEndpoints_EveryBackendReachedAboutEvenly()
    {
        using var ns = NetworkNamespace.Create();
        var backends = StartBackends(ns, "198.18.1.1", "198.18.1.2", "198.18.1.3");
        var service = IPEndPoint.Parse("198.19.0.10:80");
        Restore(ns, IptablesRestoreRenderer.Render(new ProxySnapshot([Web(service, backends)]), WithHookJumps));

        var hits = new Dictionary<string, int>();
        for (var i = 0; i < 300; i++)
        {
            var backend = await IdentifyInside(ns, service);
            hits[backend] = hits.GetValueOrDefault(backend) + 1;
        }

        // Each connection is a new conntrack entry, balanced on its own: Binomial(300, 1/3), mean
        // 100, sd 8.2; [50, 150] is beyond 6 sd either way, and missing a backend has odds (2/3)^300.
        Assert.Equal(["b0", "b1", "b2"], hits.Keys.Order());
        Assert.All(hits.Values, n => Assert.InRange(n, 50, 150));
        await DisposeAll(backends);
    }

    [Fact]
    public async Task Traffic_ClientIPAffinity_EachClientSticksToOneBackend()
    {
        using var ns = NetworkNamespace.Create();
        var backends = StartBackends(ns, "198.18.1.1", "198.18.1.2", "198.18.1.3");
        var service = IPEndPoint.Parse("198.19.0.10:80");
        var spec = Web(service, backends) with { Affinity = SessionAffinity.ForClientIP(TimeSpan.FromMinutes(5)) };
        Restore(ns, IptablesRestoreRenderer.Render(new ProxySnapshot([spec]), WithHookJumps));

        var chosen = new HashSet<string>();
        for (var client = 1; client <= 12; client++)
        {
            var from = IPAddress.Parse($"198.18.50.{client}");
            var seen = new HashSet<string>();
            for (var i = 0; i < 10; i++)
            {
                seen.Add(await IdentifyInside(ns, service, from));
            }

            Assert.Single(seen);
            chosen.UnionWith(seen);
        }

        // Twelve clients each pick their first backend at random: all on one backend has odds
        // 3 * (1/3)^12 ≈ 6e-6, so the stickiness above is the recent match, not a lone endpoint.
        Assert.True(chosen.Count > 1, "every client went to the same backend");
        await DisposeAll(backends);
    }

    [Fact]
    public async Task Traffic_NoEndpoints_ConnectionRefused()
    {
        using var ns = NetworkNamespace.Create();
        var service = IPEndPoint.Parse("198.19.0.30:80");

        // Something listens on the cluster IP itself (all of 198.18.0.0/15 is local in the
        // namespace), so a refusal can only come from the REJECT rule, not from an empty port.
        var squatter = ns.Run(() => new TcpBackend("squatter", bind: service));
        Assert.Equal("squatter", await IdentifyInside(ns, service));

        Restore(ns, IptablesRestoreRenderer.Render(new ProxySnapshot([Web(service, [])]), WithHookJumps));

        var e = await Assert.ThrowsAsync<SocketException>(() => IdentifyInside(ns, service));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
        Assert.Equal(1, squatter.Accepted);
        await squatter.DisposeAsync();
    }

    private static ServicePortSpec Web(IPEndPoint service, TcpBackend[] backends) => new()
    {
        Id = new ServicePortId("default", "web", "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = service.Address,
        Port = service.Port,
        Endpoints = [.. backends.Select(b => b.EndPoint)],
    };

    private static TcpBackend[] StartBackends(NetworkNamespace ns, params string[] addresses) =>
        [.. addresses.Select((a, i) => ns.Run(() => new TcpBackend($"b{i}", bind: new IPEndPoint(IPAddress.Parse(a), 8080))))];

    /// <summary>Connects from a socket of the namespace (optionally bound to <paramref name="from"/>) and reads the backend's name.</summary>
    private static async Task<string> IdentifyInside(NetworkNamespace ns, IPEndPoint service, IPAddress? from = null)
    {
        using var socket = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using (var cts = new CancellationTokenSource(IoTimeout))
        {
            await socket.ConnectAsync(service, cts.Token);
        }

        return await ReadLine(socket);
    }

    private static void Restore(NetworkNamespace ns, string text)
    {
        var r = ProcessResult.Run("ip", ["netns", "exec", ns.Name, "iptables-restore", "--noflush"], stdin: text);
        Assert.True(r.ExitCode == 0, $"iptables-restore exit {r.ExitCode}: {r.Stderr}");
    }

    private static string Save(NetworkNamespace ns) => ns.ExecChecked("iptables-save");

    private static async Task DisposeAll(TcpBackend[] backends)
    {
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }
}
