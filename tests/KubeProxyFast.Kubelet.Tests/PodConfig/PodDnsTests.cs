using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

public sealed class PodDnsTests : IDisposable
{
    private readonly string _resolvConf = Path.Combine(Path.GetTempPath(), "kpf-resolv-" + Guid.NewGuid().ToString("N") + ".conf");

    public PodDnsTests()
    {
        File.WriteAllText(_resolvConf, """
            # the node's resolver
            nameserver 198.18.0.53
            nameserver 198.18.0.54 ; second
            search corp.example. lab.example
            options timeout:2 attempts:3
            """);
    }

    public void Dispose() => File.Delete(_resolvConf);

    private PodDns Dns(params string[] clusterDns) => new(clusterDns, "cluster.local", _resolvConf);

    private static Pod Pod(string? policy = null, bool hostNetwork = false, PodDnsConfig? config = null) => new()
    {
        Metadata = new() { Name = "p", Namespace = "shop" },
        Spec = new() { DnsPolicy = policy, HostNetwork = hostNetwork, DnsConfig = config, Containers = [new() { Name = "c" }] },
    };

    [Fact]
    public void For_ClusterFirst_ClusterServersSearchesAndNdots5()
    {
        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.ClusterFirst));

        Assert.Equal(["198.18.100.10"], result.Config.Servers);
        Assert.Equal(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "lab.example"], result.Config.Searches);
        Assert.Equal(["ndots:5"], result.Config.Options);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void For_NoPolicy_IsClusterFirst()
    {
        Assert.Equal(["198.18.100.10"], Dns("198.18.100.10").For(Pod()).Config.Servers);
    }

    [Fact]
    public void For_ClusterFirstWithHostNetwork_IsTheNodesResolvConf()
    {
        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.ClusterFirst, hostNetwork: true));

        Assert.Equal(["198.18.0.53", "198.18.0.54"], result.Config.Servers);
        Assert.Equal(["corp.example", "lab.example"], result.Config.Searches);
        Assert.Equal(["timeout:2", "attempts:3"], result.Config.Options);
    }

    [Fact]
    public void For_ClusterFirstWithHostNet_UsesClusterDnsEvenOnHostNetwork()
    {
        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.ClusterFirstWithHostNet, hostNetwork: true));

        Assert.Equal(["198.18.100.10"], result.Config.Servers);
    }

    [Fact]
    public void For_Default_IsTheNodesResolvConf()
    {
        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.Default));

        Assert.Equal(["198.18.0.53", "198.18.0.54"], result.Config.Servers);
        Assert.Equal(["corp.example", "lab.example"], result.Config.Searches);
    }

    [Fact]
    public void For_ClusterFirstWithoutClusterDns_FallsBackToDefaultWithAWarning()
    {
        var result = Dns().For(Pod(DnsPolicies.ClusterFirst));

        Assert.Equal(["198.18.0.53", "198.18.0.54"], result.Config.Servers);
        Assert.Equal("kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.", Assert.Single(result.Warnings));
    }

    [Fact]
    public void For_None_IsOnlyTheDnsConfig()
    {
        var config = new PodDnsConfig { Nameservers = ["198.18.9.9"], Searches = ["my.example"], Options = [new() { Name = "ndots", Value = "2" }, new() { Name = "edns0" }] };

        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.None, config: config));

        Assert.Equal(["198.18.9.9"], result.Config.Servers);
        Assert.Equal(["my.example"], result.Config.Searches);
        Assert.Equal(["ndots:2", "edns0"], result.Config.Options);
    }

    [Fact]
    public void For_DnsConfigMerged_DuplicatesDroppedOptionsOverridden()
    {
        var config = new PodDnsConfig
        {
            Nameservers = ["198.18.100.10", "198.18.9.9"],
            Searches = ["svc.cluster.local", "extra.example"],
            Options = [new() { Name = "ndots", Value = "1" }, new() { Name = "single-request" }],
        };

        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.ClusterFirst, config: config));

        Assert.Equal(["198.18.100.10", "198.18.9.9"], result.Config.Servers);
        Assert.Equal(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "lab.example", "extra.example"], result.Config.Searches);
        Assert.Equal(["ndots:1", "single-request"], result.Config.Options);
    }

    [Fact]
    public void For_MoreThanThreeNameservers_AreCutWithAWarning()
    {
        var config = new PodDnsConfig { Nameservers = ["198.18.9.1", "198.18.9.2", "198.18.9.3"] };

        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.ClusterFirst, config: config));

        Assert.Equal(["198.18.100.10", "198.18.9.1", "198.18.9.2"], result.Config.Servers);
        Assert.Equal("Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 198.18.100.10 198.18.9.1 198.18.9.2", Assert.Single(result.Warnings));
    }

    [Fact]
    public void For_SearchLimits_32DomainsAnd2048Characters()
    {
        var many = Enumerable.Range(0, 40).Select(i => "d" + i + ".example").ToList();
        var result = Dns("198.18.100.10").For(Pod(DnsPolicies.None, config: new() { Nameservers = ["198.18.9.9"], Searches = many }));

        Assert.Equal(many.Take(32), result.Config.Searches);
        Assert.StartsWith("Search Line limits were exceeded", Assert.Single(result.Warnings), StringComparison.Ordinal);

        var label = new string('a', 63);
        var longNames = Enumerable.Range(0, 12).Select(i => $"{i}{label}.{label}.{label}.x").ToList();
        var cut = Dns("198.18.100.10").For(Pod(DnsPolicies.None, config: new() { Nameservers = ["198.18.9.9"], Searches = longNames })).Config.Searches;

        Assert.True(string.Join(' ', cut).Length <= 2048);
        Assert.Equal(longNames.Take(cut.Count), cut);
        Assert.Equal(10, cut.Count);
    }

    [Fact]
    public void For_NoResolvConfFlag_DefaultIsLocalResolver()
    {
        var result = new PodDns(["198.18.100.10"], "cluster.local", "").For(Pod(DnsPolicies.Default));

        Assert.Equal(["127.0.0.1"], result.Config.Servers);
        Assert.Equal(["."], result.Config.Searches);
    }

    [Fact]
    public void ResolvConf_Parse_LastSearchWinsCommentsIgnored()
    {
        var parsed = ResolvConf.Parse("nameserver 198.18.0.1\nsearch a.example\n#nameserver 198.18.0.2\nsearch b.example. . c.example\noptions ndots:1\noptions ndots:3 rotate\n");

        Assert.Equal(["198.18.0.1"], parsed.Nameservers);
        Assert.Equal(["b.example", "c.example"], parsed.Searches);
        Assert.Equal(["ndots:3", "rotate"], parsed.Options);
    }
}
