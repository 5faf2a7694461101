using KubeProxyFast.Linux.Interop;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Linux.Netlink.Route;
using KubeProxyFast.Linux.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Linux.Tests.Namespaces;

/// <summary>Named network namespaces made as iproute2 makes them, checked with <c>ip netns</c>.</summary>
public sealed class NetworkNamespacesTests
{
    private static int s_count;

    [Fact]
    public void Create_NewName_IpNetnsListAndExecSeeIt()
    {
        var name = NewName();
        NetworkNamespaces.Create(name);
        try
        {
            Assert.Contains(name, IpNetns("list"));
            Assert.Contains(name, NetworkNamespaces.List());
            Assert.True(NetworkNamespaces.Exists(name));

            // As ip netns add leaves it: /run/netns a shared mount point, the name a mount of nsfs.
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            Assert.Contains(mounts, m => m.Split(' ')[4] == "/run/netns" && m.Contains(" shared:", StringComparison.Ordinal));
            Assert.Contains(mounts, m => m.Split(' ')[4] == "/run/netns/" + name && m.Contains(" - nsfs ", StringComparison.Ordinal));

            // A fresh namespace: only lo, down; ip netns exec enters the same one.
            var linksInside = ProcessResult.Run("ip", ["netns", "exec", name, "ip", "-j", "link", "show"]);
            Assert.Equal(0, linksInside.ExitCode);
            Assert.Contains("\"ifname\":\"lo\"", linksInside.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("\"UP\"", linksInside.Stdout, StringComparison.Ordinal);
            Assert.Equal(["lo"], IpJson.Show(name, "link", "show").Select(l => l.Text("ifname")));
        }
        finally
        {
            NetworkNamespaces.Delete(name);
        }

        Assert.DoesNotContain(name, IpNetns("list"));
        Assert.False(NetworkNamespaces.Exists(name));
    }

    [Fact]
    public void Run_InsideNamespace_SeesItsLinksAndLeavesTheCallerWhereItWas()
    {
        using var ns = NetworkNamespace.Create("");
        var callerNamespace = NamespaceOfThisThread();

        var (inside, linksInside) = NetworkNamespaces.Run(ns.Name, () =>
        {
            using var links = RouteNetlinkConnection.Open();
            links.CreateBridge("br-inside");
            return (NamespaceOfThisThread(), links.ListLinks().Select(l => l.Name).ToList());
        });

        Assert.NotEqual(callerNamespace, inside);
        Assert.Equal(callerNamespace, NamespaceOfThisThread());
        Assert.Equal(["br-inside", "lo"], linksInside.Order(StringComparer.Ordinal));
        Assert.Equal("bridge", IpJson.Link(ns.Name, "br-inside").GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.DoesNotContain("br-inside", File.ReadAllText("/proc/self/net/dev"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ActionThrows_RethrowsTheSameException()
    {
        using var ns = NetworkNamespace.Create("");

        var e = Assert.Throws<FormatException>(() => NetworkNamespaces.Run(ns.Name, () => throw new FormatException("inside")));

        Assert.Equal("inside", e.Message);
    }

    [Fact]
    public void Open_NamespaceMadeByIpNetnsAdd_RunsInsideIt()
    {
        var name = NewName();
        Assert.Equal(0, ProcessResult.Run("ip", ["netns", "add", name]).ExitCode);
        try
        {
            ProcessResult.Run("ip", ["-n", name, "link", "add", "br-ip", "type", "bridge"]);

            var names = NetworkNamespaces.Run(name, () =>
            {
                using var links = RouteNetlinkConnection.Open();
                return links.ListLinks().Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
            });

            Assert.Equal(["br-ip", "lo"], names);
        }
        finally
        {
            ProcessResult.Run("ip", ["netns", "del", name]);
        }
    }

    [Fact]
    public void Create_NameTaken_ThrowsEexistAndKeepsTheExisting()
    {
        using var ns = NetworkNamespace.Create("");
        using (var links = ns.OpenRouteNetlink())
        {
            links.CreateBridge("br-keep");
        }

        var e = Assert.Throws<NativeCallException>(() => NetworkNamespaces.Create(ns.Name));

        Assert.Equal($"create /run/netns/{ns.Name}: EEXIST (17)", e.Message);
        Assert.Equal("bridge", IpJson.Link(ns.Name, "br-keep").GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [Fact]
    public void DeleteAndOpen_UnknownName_ThrowEnoentNamingThePath()
    {
        var name = NewName();

        var delete = Assert.Throws<NativeCallException>(() => NetworkNamespaces.Delete(name));
        var open = Assert.Throws<NativeCallException>(() => NetworkNamespaces.Open(name));

        Assert.Equal($"unlink /run/netns/{name}: ENOENT (2)", delete.Message);
        Assert.Equal($"open /run/netns/{name}: ENOENT (2)", open.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public void Create_InvalidName_ThrowsArgumentException(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => NetworkNamespaces.Create(name));

    private static string NewName() => $"kpfl-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}";

    private static string[] IpNetns(string command) =>
        ProcessResult.Run("ip", ["netns", command]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToArray();

    // The nsfs inode of the calling thread's network namespace, as "net:[4026531840]".
    private static string NamespaceOfThisThread() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!;
}
