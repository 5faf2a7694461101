using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using KubeProxyFast.Dataplane.Netfilter.IptablesRestore;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.IptablesRestore;

/// <summary>The iptables-restore text of a snapshot: layout, balancing, names, refusals. Kernel tests are in the .Kernel part.</summary>
public sealed partial class IptablesRestoreRendererTests
{
    // Hashes computed apart from the code under test:
    // python3 -c 'import hashlib,base64; print(base64.b32encode(hashlib.sha256(b"default/web:httptcp").digest())[:16])'
    private const string WebSvc = "KUBE-SVC-CDGGSHYLG3RE2FKL";
    private const string WebSep1 = "KUBE-SEP-BJEIMDFMBWP5RSF7"; // default/web:httptcp198.18.1.1:8080
    private const string WebSep2 = "KUBE-SEP-TVGXO6CLI6QWBB5G"; // default/web:httptcp198.18.1.2:8080
    private const string StickySvc = "KUBE-SVC-T2ECBIYT2WDZZK45";
    private const string StickyExt = "KUBE-EXT-T2ECBIYT2WDZZK45";
    private const string StickySep1 = "KUBE-SEP-VSUGIIYEEPJI4ZY5";
    private const string StickySep2 = "KUBE-SEP-I4RHG6TN2N3DSVB3";
    private const string StickySep3 = "KUBE-SEP-3LLC7XURPUSZUYUL";

    private const string GoldenText = $$"""
        *filter
        :KUBE-SERVICES - [0:0]
        :KUBE-EXTERNAL-SERVICES - [0:0]
        -A KUBE-SERVICES -d 198.19.0.30/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
        -A KUBE-EXTERNAL-SERVICES -d 198.18.100.30/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
        -A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/empty:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30081 -j REJECT --reject-with icmp-port-unreachable
        COMMIT
        *nat
        :KUBE-SERVICES - [0:0]
        :KUBE-NODEPORTS - [0:0]
        :KUBE-POSTROUTING - [0:0]
        :KUBE-MARK-MASQ - [0:0]
        :{{StickySvc}} - [0:0]
        :{{StickyExt}} - [0:0]
        :{{StickySep1}} - [0:0]
        :{{StickySep2}} - [0:0]
        :{{StickySep3}} - [0:0]
        :{{WebSvc}} - [0:0]
        :{{WebSep1}} - [0:0]
        :{{WebSep2}} - [0:0]
        -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
        -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
        -A KUBE-POSTROUTING -j MASQUERADE
        -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
        -A KUBE-SERVICES -d 198.19.0.20/32 -p tcp -m comment --comment "default/sticky:http cluster IP" -m tcp --dport 80 -j {{StickySvc}}
        -A KUBE-SERVICES -d 198.18.100.20/32 -p tcp -m comment --comment "default/sticky:http external IP" -m tcp --dport 80 -j {{StickyExt}}
        -A KUBE-NODEPORTS -p tcp -m comment --comment "default/sticky:http" -m tcp --dport 30080 -j {{StickyExt}}
        -A {{StickyExt}} -j KUBE-MARK-MASQ
        -A {{StickyExt}} -j {{StickySvc}}
        -A {{StickySvc}} -m recent --name {{StickySep1}} --rcheck --seconds 10800 --reap -j {{StickySep1}}
        -A {{StickySvc}} -m recent --name {{StickySep2}} --rcheck --seconds 10800 --reap -j {{StickySep2}}
        -A {{StickySvc}} -m recent --name {{StickySep3}} --rcheck --seconds 10800 --reap -j {{StickySep3}}
        -A {{StickySvc}} -m statistic --mode random --probability 0.3333333333 -j {{StickySep1}}
        -A {{StickySvc}} -m statistic --mode random --probability 0.5000000000 -j {{StickySep2}}
        -A {{StickySvc}} -j {{StickySep3}}
        -A {{StickySep1}} -s 198.18.2.1/32 -j KUBE-MARK-MASQ
        -A {{StickySep1}} -p tcp -m tcp -m recent --name {{StickySep1}} --set -j DNAT --to-destination 198.18.2.1:8080
        -A {{StickySep2}} -s 198.18.2.2/32 -j KUBE-MARK-MASQ
        -A {{StickySep2}} -p tcp -m tcp -m recent --name {{StickySep2}} --set -j DNAT --to-destination 198.18.2.2:8080
        -A {{StickySep3}} -s 198.18.2.3/32 -j KUBE-MARK-MASQ
        -A {{StickySep3}} -p tcp -m tcp -m recent --name {{StickySep3}} --set -j DNAT --to-destination 198.18.2.3:8080
        -A KUBE-SERVICES -d 198.19.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j {{WebSvc}}
        -A {{WebSvc}} -m statistic --mode random --probability 0.5000000000 -j {{WebSep1}}
        -A {{WebSvc}} -j {{WebSep2}}
        -A {{WebSep1}} -s 198.18.1.1/32 -j KUBE-MARK-MASQ
        -A {{WebSep1}} -p tcp -m tcp -j DNAT --to-destination 198.18.1.1:8080
        -A {{WebSep2}} -s 198.18.1.2/32 -j KUBE-MARK-MASQ
        -A {{WebSep2}} -p tcp -m tcp -j DNAT --to-destination 198.18.1.2:8080
        -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
        COMMIT

        """;

    [Fact]
    public void Render_SmallSnapshot_MatchesGoldenText()
    {
        var text = IptablesRestoreRenderer.Render(SmallSnapshot());

        Assert.Equal(GoldenText.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Render_TextWriter_WritesWhatStringOverloadReturns()
    {
        var snapshot = SmallSnapshot();
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder) { NewLine = "\r\n" })
        {
            IptablesRestoreRenderer.Render(snapshot, writer);
        }

        // Lines end in LF whatever the writer's NewLine: iptables-restore would take "\r" as part of the rule.
        Assert.Equal(IptablesRestoreRenderer.Render(snapshot), builder.ToString());
    }

    [Fact]
    public void Render_FourEndpoints_TakesEachWithOneOverRemainingAndTheLastUnconditionally()
    {
        var spec = Tcp("four", "198.19.0.40", 80, "198.18.4.1:80", "198.18.4.2:80", "198.18.4.3:80", "198.18.4.4:80");

        var rules = RulesOf(IptablesRestoreRenderer.Render(new ProxySnapshot([spec])), IptablesChainNames.ServicePort(spec.Id, spec.Protocol));

        Assert.Equal(
            [
                "-m statistic --mode random --probability 0.2500000000 -j " + Sep(spec, 0),
                "-m statistic --mode random --probability 0.3333333333 -j " + Sep(spec, 1),
                "-m statistic --mode random --probability 0.5000000000 -j " + Sep(spec, 2),
                "-j " + Sep(spec, 3),
            ],
            rules);
    }

    [Fact]
    public void Render_SevenEndpoints_PrintsTenDecimalsAsKubeProxy()
    {
        var endpoints = Enumerable.Range(1, 7).Select(i => $"198.18.7.{i}:80").ToArray();
        var spec = Tcp("seven", "198.19.0.70", 80, endpoints);

        var rules = RulesOf(IptablesRestoreRenderer.Render(new ProxySnapshot([spec])), IptablesChainNames.ServicePort(spec.Id, spec.Protocol));

        // Go's %0.10f of 1/7, 1/6, …, 1/2.
        var probabilities = rules.Select(r => Regex.Match(r, "--probability ([0-9.]+)")).Where(m => m.Success).Select(m => m.Groups[1].Value);
        Assert.Equal(["0.1428571429", "0.1666666667", "0.2000000000", "0.2500000000", "0.3333333333", "0.5000000000"], probabilities);
    }

    [Fact]
    public void Render_OneEndpoint_JumpsUnconditionally()
    {
        var spec = Tcp("one", "198.19.0.50", 80, "198.18.5.1:80");

        var rules = RulesOf(IptablesRestoreRenderer.Render(new ProxySnapshot([spec])), IptablesChainNames.ServicePort(spec.Id, spec.Protocol));

        Assert.Equal(["-j " + Sep(spec, 0)], rules);
    }

    [Fact]
    public void Render_Udp_MatchesUdpEverywhere()
    {
        var spec = Tcp("dns", "198.19.0.53", 53, "198.18.5.3:5353") with { Protocol = L4Protocol.Udp, NodePort = 30053 };

        var text = IptablesRestoreRenderer.Render(new ProxySnapshot([spec]));

        Assert.Contains("-d 198.19.0.53/32 -p udp -m comment --comment \"default/dns:http cluster IP\" -m udp --dport 53 -j ", text, StringComparison.Ordinal);
        Assert.Contains("-p udp -m comment --comment \"default/dns:http\" -m udp --dport 30053 -j KUBE-EXT-", text, StringComparison.Ordinal);
        Assert.Contains("-p udp -m udp -j DNAT --to-destination 198.18.5.3:5353\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tcp", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainNames_SameInputs_AreStableAndDistinct()
    {
        var id = new ServicePortId("default", "web", "http");
        var endpoint = IPEndPoint.Parse("198.18.1.1:8080");

        Assert.Equal(WebSvc, IptablesChainNames.ServicePort(id, L4Protocol.Tcp));
        Assert.Equal(WebSep1, IptablesChainNames.Endpoint(id, L4Protocol.Tcp, endpoint));
        Assert.Equal("KUBE-EXT-CDGGSHYLG3RE2FKL", IptablesChainNames.External(id, L4Protocol.Tcp));
        Assert.NotEqual(WebSvc, IptablesChainNames.ServicePort(id, L4Protocol.Udp));

        // 100 service ports of 100 endpoints: 10,100 names, each a distinct 80-bit hash.
        var names = new HashSet<string>();
        for (var s = 0; s < 100; s++)
        {
            var port = new ServicePortId("ns", $"svc{s}", "http");
            Assert.True(names.Add(IptablesChainNames.ServicePort(port, L4Protocol.Tcp)));
            for (var e = 0; e < 100; e++)
            {
                Assert.True(names.Add(IptablesChainNames.Endpoint(port, L4Protocol.Tcp, new IPEndPoint(IPAddress.Parse($"198.18.{s}.{e}"), 8080))));
            }
        }
    }

    [Fact]
    public void Render_LongestKubernetesNames_ChainNamesFitTheKernel()
    {
        // Namespaces and names are DNS labels (63), port names IANA service names (15).
        var id = new ServicePortId(new string('n', 63), new string('s', 63), new string('p', 15));
        var spec = Tcp("x", "198.19.0.60", 80, "198.18.6.1:80", "198.18.6.2:80") with { Id = id, NodePort = 30060 };

        var text = IptablesRestoreRenderer.Render(new ProxySnapshot([spec]));

        var chains = Regex.Matches(text, @"(?:^:|^-A |-j |--name )([A-Z][A-Z0-9-]*)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("KUBE-EXTERNAL-SERVICES", chains);
        Assert.All(chains, c => Assert.InRange(c.Length, 1, 28));
        Assert.All(chains.Where(c => c.StartsWith("KUBE-S", StringComparison.Ordinal) && c.Length > 20), c => Assert.Matches("^KUBE-(SVC|SEP)-[A-Z2-7]{16}$", c));
    }

    [Theory]
    [InlineData("fd00::10", null, null)]
    [InlineData("198.19.0.80", "fd00::80", null)]
    [InlineData("198.19.0.80", null, "[fd00::1]:8080")]
    public void Render_IPv6Address_ThrowsNamingTheServicePort(string clusterIP, string? externalIP, string? endpoint)
    {
        var spec = Tcp("v6", clusterIP, 80, endpoint ?? "198.18.8.1:8080") with
        {
            ExternalIPs = externalIP is null ? [] : [IPAddress.Parse(externalIP)],
        };
        var writer = new StringWriter();

        var e = Assert.Throws<ArgumentException>(() => IptablesRestoreRenderer.Render(new ProxySnapshot([spec]), writer));

        Assert.Contains("service port default/v6:http", e.Message, StringComparison.Ordinal);
        Assert.Contains("not IPv4", e.Message, StringComparison.Ordinal);
        Assert.Empty(writer.ToString());
    }

    [Fact]
    public void Render_IdWithNewline_ThrowsInsteadOfInjectingARule()
    {
        var spec = Tcp("evil", "198.19.0.90", 80, "198.18.9.1:80") with { Id = new ServicePortId("default", "a\n-A INPUT -j ACCEPT", "http") };

        var e = Assert.Throws<ArgumentException>(() => IptablesRestoreRenderer.Render(new ProxySnapshot([spec])));

        Assert.Contains("U+000A", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HeadlessPort_IsSkipped()
    {
        var headless = Tcp("headless", "255.255.255.255", 80, "198.18.9.9:80") with { ClusterIP = IPAddress.None };

        Assert.Equal(IptablesRestoreRenderer.Render(ProxySnapshot.Empty), IptablesRestoreRenderer.Render(new ProxySnapshot([headless])));
        Assert.DoesNotContain("headless", IptablesRestoreRenderer.Render(new ProxySnapshot([headless])), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HookJumps_WrittenAfterTheirTablesDeclarations()
    {
        var text = IptablesRestoreRenderer.Render(SmallSnapshot(), new IptablesRenderOptions { HookJumps = IptablesHookJump.All });
        var lines = text.Split('\n');

        foreach (var jump in IptablesHookJump.All)
        {
            var at = Array.IndexOf(lines, jump.Line);
            Assert.True(at > 0, jump.Line);
            var table = Array.FindLastIndex(lines, at, l => l.StartsWith('*'));
            Assert.Equal("*" + jump.Table, lines[table]);
            Assert.True(lines[at - 1].StartsWith(':') || lines[at - 1].StartsWith("-A ", StringComparison.Ordinal) && !lines[at - 1].StartsWith("-A KUBE-", StringComparison.Ordinal), lines[at - 1]);
        }

        Assert.Equal(
            ["-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
             "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
             "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"],
            IptablesHookJump.All.Where(j => j.Table == "nat").Select(j => j.Line));
    }

    [Fact]
    public void HookJumps_MissingFrom_ListsOnlyJumpsTheSaveLacks()
    {
        var save = """
            *filter
            :INPUT ACCEPT [0:0]
            -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
            COMMIT
            *nat
            -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            COMMIT
            """;

        var missing = IptablesHookJump.MissingFrom(save);

        Assert.Equal(IptablesHookJump.All.Length - 2, missing.Length);
        Assert.DoesNotContain(missing, j => j.Table == "filter" && j.Chain == "INPUT");
        Assert.DoesNotContain(missing, j => j.Table == "nat" && j.Chain == "PREROUTING");
        Assert.Empty(IptablesHookJump.MissingFrom(string.Join('\n', IptablesHookJump.All.Select(j => $"*{j.Table}\n{j.Line}"))));
    }

    [Fact]
    public void Render_ExistingChains_FlushesAndDeletesOnlyStaleOnesOfOurs()
    {
        const string Gone = "KUBE-SVC-AAAAAAAAAAAAAAAA";
        var options = new IptablesRenderOptions
        {
            // web has no external IPs or node port now, so its KUBE-EXT chain is stale too.
            ExistingChains = [WebSvc, WebSep1, Gone, "KUBE-EXT-CDGGSHYLG3RE2FKL", StickyExt, "KUBE-SERVICES", "KUBE-SVC-lowercase0000000", "OTHER-CHAIN"],
        };

        var lines = IptablesRestoreRenderer.Render(SmallSnapshot(), options).Split('\n');

        Assert.Equal(["-X " + Gone, "-X KUBE-EXT-CDGGSHYLG3RE2FKL"], lines.Where(l => l.StartsWith("-X ", StringComparison.Ordinal)));
        Assert.Equal(1, lines.Count(l => l == $":{Gone} - [0:0]"));
        Assert.Equal(1, lines.Count(l => l == $":{WebSvc} - [0:0]"));
        Assert.Equal("COMMIT", lines[^2]);
        Assert.Equal("-X KUBE-EXT-CDGGSHYLG3RE2FKL", lines[^3]);
    }

    [Fact]
    public void RenderOptions_FromSave_TakesNatChainsOfOursAndMissingJumps()
    {
        var save = $"""
            *filter
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-BBBBBBBBBBBBBBBB - [0:0]
            COMMIT
            *nat
            :PREROUTING ACCEPT [0:0]
            :KUBE-SERVICES - [0:0]
            :{WebSvc} - [0:0]
            :{WebSep1} - [0:0]
            -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            COMMIT
            """;

        var options = IptablesRenderOptions.FromSave(save);

        Assert.Equal(["KUBE-SERVICES", WebSvc, WebSep1], options.ExistingChains.ToArray());
        Assert.Equal(IptablesHookJump.All.Length - 1, options.HookJumps.Length);
    }

    [Fact]
    public void Render_ManyServicesIntoAWriter_AllocatesAlmostNothingPerRule()
    {
        var ports = Enumerable.Range(0, 2000).Select(i => Tcp(
            $"svc{i}", $"198.19.{i / 250}.{(i % 250) + 1}", 80, $"198.18.{i / 250}.{(i % 250) + 1}:8080", $"198.18.{100 + (i / 250)}.{(i % 250) + 1}:8080")
            with { NodePort = i % 2 == 0 ? 30000 + i : null, Affinity = i % 3 == 0 ? SessionAffinity.ForClientIP(SessionAffinity.DefaultTimeout) : SessionAffinity.None });
        var snapshot = new ProxySnapshot(ports);
        IptablesRestoreRenderer.Render(snapshot, TextWriter.Null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        IptablesRestoreRenderer.Render(snapshot, TextWriter.Null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // ~20,000 rules: a string per rule would be over a megabyte; what is left is the writer
        // object and the pooled hash buffer's bookkeeping, independent of the snapshot's size.
        Assert.InRange(allocated, 0, 4096);
    }

    internal static ProxySnapshot SmallSnapshot() => new(
    [
        Tcp("web", "198.19.0.10", 80, "198.18.1.1:8080", "198.18.1.2:8080"),
        Tcp("sticky", "198.19.0.20", 80, "198.18.2.1:8080", "198.18.2.2:8080", "198.18.2.3:8080") with
        {
            NodePort = 30080,
            ExternalIPs = [IPAddress.Parse("198.18.100.20")],
            Affinity = SessionAffinity.ForClientIP(SessionAffinity.DefaultTimeout),
        },
        Tcp("empty", "198.19.0.30", 80) with { NodePort = 30081, ExternalIPs = [IPAddress.Parse("198.18.100.30")] },
        Tcp("headless", "255.255.255.255", 80, "198.18.3.1:8080") with { ClusterIP = IPAddress.None },
    ]);

    internal static ServicePortSpec Tcp(string name, string clusterIP, int port, params string[] endpoints) => new()
    {
        Id = new ServicePortId("default", name, "http"),
        Protocol = L4Protocol.Tcp,
        ClusterIP = IPAddress.Parse(clusterIP),
        Port = port,
        Endpoints = [.. endpoints.Select(IPEndPoint.Parse)],
    };

    private static string Sep(ServicePortSpec spec, int endpoint) => IptablesChainNames.Endpoint(spec.Id, spec.Protocol, spec.Endpoints[endpoint]);

    /// <summary>The rules of one chain, without their <c>-A CHAIN </c>, in order.</summary>
    private static List<string> RulesOf(string text, string chain) =>
        [.. text.Split('\n').Where(l => l.StartsWith($"-A {chain} ", StringComparison.Ordinal)).Select(l => l[$"-A {chain} ".Length..])];
}
