using System.Net;
using System.Text.Json.Nodes;
using KubeProxyFast.Kubelet.Network;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Network;

public sealed class CniConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-cni-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ToJson_PodCidr_IsTheBridgeHostLocalPortmapList()
    {
        var list = JsonNode.Parse(CniConfig.For("198.18.10.0/24", "/var/lib/kpf/cni").ToJson())!;

        Assert.Equal("1.0.0", (string?)list["cniVersion"]);
        Assert.Equal("kpf", (string?)list["name"]);
        var plugins = list["plugins"]!.AsArray();
        Assert.Equal(["bridge", "portmap"], plugins.Select(p => (string?)p!["type"]));
        var bridge = plugins[0]!;
        Assert.Equal("kpf0", (string?)bridge["bridge"]);
        Assert.True((bool)bridge["isGateway"]!);
        Assert.False((bool)bridge["ipMasq"]!);
        Assert.True((bool)bridge["hairpinMode"]!);
        Assert.Equal("host-local", (string?)bridge["ipam"]!["type"]);
        Assert.Equal("/var/lib/kpf/cni", (string?)bridge["ipam"]!["dataDir"]);
        Assert.Equal("198.18.10.0/24", (string?)bridge["ipam"]!["ranges"]![0]![0]!["subnet"]);
        Assert.Equal("0.0.0.0/0", (string?)bridge["ipam"]!["routes"]![0]!["dst"]);
        Assert.True((bool)plugins[1]!["capabilities"]!["portMappings"]!);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("fd00::/64")]
    public void For_NotAnIPv4Cidr_ThrowsNamingIt(string podCidr)
    {
        var e = Assert.Throws<FormatException>(() => CniConfig.For(podCidr));
        Assert.Contains(podCidr, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_SameConfigTwice_WritesOnceAndLeavesNoTemporaryFile()
    {
        var dir = Path.Combine(_directory, "net.d");
        var config = CniConfig.For("198.18.10.0/24");

        Assert.True(config.WriteTo(dir));
        var written = File.GetLastWriteTimeUtc(Path.Combine(dir, CniConfig.FileName));
        Assert.False(config.WriteTo(dir));

        Assert.Equal([CniConfig.FileName], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal(config.ToJson(), File.ReadAllText(Path.Combine(dir, CniConfig.FileName)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(dir, CniConfig.FileName)));
    }

    [Fact]
    public void WriteTo_PodCidrChanged_RewritesTheFile()
    {
        CniConfig.For("198.18.10.0/24").WriteTo(_directory);

        Assert.True(CniConfig.For("198.18.11.0/24").WriteTo(_directory));

        Assert.Contains("198.18.11.0/24", File.ReadAllText(Path.Combine(_directory, CniConfig.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrittenList_RunByTheRealPlugins_GivesThePodAnAddressTheNodeReaches_AndDelCleansUp()
    {
        using var node = NetworkNamespace.Create("");
        using var pod = NetworkNamespace.Create("");
        var config = CniConfig.For("198.18.10.0/24", Path.Combine(_directory, "ipam"));
        config.WriteTo(Path.Combine(_directory, "net.d"));
        var chain = new CniPluginChain(File.ReadAllText(Path.Combine(_directory, "net.d", CniConfig.FileName)), node);
        var portMappings = new JsonObject
        {
            ["portMappings"] = new JsonArray(new JsonObject { ["hostPort"] = 18080, ["containerPort"] = 80, ["protocol"] = "tcp" }),
        };

        var result = chain.Add(pod, "sandbox-1", portMappings);

        // "198.18.10.2/24": the address with the subnet's prefix length.
        var cidr = (string)result["ips"]![0]!["address"]!;
        var address = IPAddress.Parse(cidr.Split('/')[0]);
        Assert.True(config.PodCidr.Contains(address), $"{cidr} is outside the podCIDR");
        Assert.Equal("198.18.10.1", (string?)result["ips"]![0]!["gateway"]);
        Assert.Contains($"inet {cidr}", pod.ExecChecked("ip", "-4", "addr", "show", "eth0"), StringComparison.Ordinal);
        Assert.Contains("default via 198.18.10.1 dev eth0", pod.ExecChecked("ip", "-4", "route"), StringComparison.Ordinal);
        Assert.Contains("inet 198.18.10.1/24", node.ExecChecked("ip", "-4", "addr", "show", "kpf0"), StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("198.18.10.1"), await NamespaceTcp.ConnectAsync(node, pod, address, 8080));
        Assert.Contains("18080", node.ExecChecked("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "ipam", "kpf", address.ToString())), "host-local recorded the address");

        chain.Delete(pod, "sandbox-1", result, portMappings);

        Assert.NotEqual(0, pod.Exec("ip", "link", "show", "eth0").ExitCode);
        Assert.DoesNotContain("18080", node.ExecChecked("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "ipam", "kpf", address.ToString())), "host-local released the address");
    }
}
