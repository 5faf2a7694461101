using System.Net;
using KubeProxyFast.Linux.Namespaces;
using KubeProxyFast.Linux.Netlink.Route;
using Tmds.Linux;

namespace KubeProxyFast.Testing;

/// <summary>
/// A private network namespace for one test (made as <c>ip netns add</c> makes it, by
/// <see cref="NetworkNamespaces"/>), deleted on dispose: netfilter rules, addresses and traffic
/// stay inside it, never in the machine's own namespace. Loopback is up and all of
/// 198.18.0.0/15 is local on it, so cluster IPs, pod IPs and clients from that range need no links.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int s_count;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name under /run/netns.</summary>
    public string Name { get; }

    /// <summary>The namespace file, for setns(2).</summary>
    public string Path => NetworkNamespaces.PathOf(Name);

    /// <summary>
    /// Creates a namespace named after this process and a counter, with lo up and
    /// <paramref name="localRanges"/> local on it (an empty string: none).
    /// </summary>
    public static NetworkNamespace Create(params string[] localRanges)
    {
        if (localRanges.Length == 0)
        {
            localRanges = ["198.18.0.0/15"];
        }

        // The tests that need a namespace need root, which CI has; elsewhere they fail saying so.
        if (LibC.geteuid() != 0)
        {
            throw new InvalidOperationException("network namespace tests need root: run ./test as root, as CI does");
        }

        var name = $"kpft-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}";
        NetworkNamespaces.Create(name);
        var ns = new NetworkNamespace(name);
        try
        {
            using var links = ns.OpenRouteNetlink();
            links.SetUp("lo");
            foreach (var range in localRanges)
            {
                if (range.Length > 0)
                {
                    // ip route add local RANGE dev lo: every address of the range answers here.
                    links.AddRoute(new RouteEntry(IPNetwork.Parse(range), Device: "lo", Type: RouteType.Local));
                }
            }

            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Opens rtnetlink inside the namespace (usable from any thread, it stays in the namespace).</summary>
    public RouteNetlinkConnection OpenRouteNetlink() => Run(RouteNetlinkConnection.Open);

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that has entered the namespace, so sockets
    /// it creates (netlink, TCP, UDP) belong to the namespace for their whole life, whichever
    /// thread uses them later. The thread ends with the action; its exception is rethrown as is.
    /// </summary>
    public T Run<T>(Func<T> action) => NetworkNamespaces.Run(Name, action);

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>) and returns its exit code and output.</summary>
    public ProcessResult Exec(string program, params string[] args) => ProcessResult.Run("ip", ["netns", "exec", Name, program, .. args]);

    /// <summary>Like <see cref="Exec"/>, but throws with the output when the program fails.</summary>
    public string ExecChecked(string program, params string[] args)
    {
        var r = Exec(program, args);
        return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException($"{program} {string.Join(' ', args)} in {Name}: exit {r.ExitCode}: {r.Stderr}");
    }

    /// <summary>Deletes the namespace; one already gone is not an error.</summary>
    public void Dispose()
    {
        if (NetworkNamespaces.Exists(Name))
        {
            NetworkNamespaces.Delete(Name);
        }
    }
}
