using Tmds.Linux;

namespace KubeProxyFast.Testing;

/// <summary>
/// A private network namespace for one test (<c>ip netns add</c>), deleted on dispose: netfilter
/// rules, addresses and traffic stay inside it, never in the machine's own namespace. Loopback
/// is up and all of 198.18.0.0/15 is local on it, so cluster IPs, pod IPs and clients from that
/// range need no links.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private static int s_count;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name under /run/netns.</summary>
    public string Name { get; }

    /// <summary>The namespace file, for setns(2).</summary>
    public string Path => "/run/netns/" + Name;

    /// <summary>Creates a namespace named after this process and a counter, with lo up and <paramref name="localRanges"/> local on it.</summary>
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
        Ip("netns", "add", name);
        var ns = new NetworkNamespace(name);
        try
        {
            Ip("-n", name, "link", "set", "lo", "up");
            foreach (var range in localRanges)
            {
                if (range.Length > 0)
                {
                    Ip("-n", name, "route", "add", "local", range, "dev", "lo");
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

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that has entered the namespace, so sockets
    /// it creates (netlink, TCP, UDP) belong to the namespace for their whole life, whichever
    /// thread uses them later. The thread ends with the action, taking the namespace with it.
    /// </summary>
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"in network namespace {Name}: {failure.Message}", failure);
        }

        return result;
    }

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>) and returns its exit code and output.</summary>
    public ProcessResult Exec(string program, params string[] args) => ProcessResult.Run("ip", ["netns", "exec", Name, program, .. args]);

    /// <summary>Like <see cref="Exec"/>, but throws with the output when the program fails.</summary>
    public string ExecChecked(string program, params string[] args)
    {
        var r = Exec(program, args);
        return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException($"{program} {string.Join(' ', args)} in {Name}: exit {r.ExitCode}: {r.Stderr}");
    }

    /// <inheritdoc/>
    public void Dispose() => ProcessResult.Run("ip", ["netns", "del", Name]);

    private unsafe void Enter()
    {
        using var handle = File.OpenHandle(Path);
        if (LibC.setns((int)handle.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException($"setns {Path}: errno {LibC.errno}");
        }
    }

    /// <summary>Runs <c>ip</c> with <paramref name="args"/>, throwing with its output when it fails.</summary>
    internal static void Ip(params string[] args)
    {
        var r = ProcessResult.Run("ip", args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: exit {r.ExitCode}: {r.Stderr}");
        }
    }
}
