using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Interop;
using Microsoft.Win32.SafeHandles;
using static KubeProxyFast.Linux.Namespaces.NamespaceSyscalls;

namespace KubeProxyFast.Linux.Namespaces;

/// <summary>
/// Named network namespaces as iproute2 keeps them: a namespace is pinned by a bind mount of its
/// nsfs file on <c>/run/netns/NAME</c>, so <c>ip netns list</c>, <c>ip netns exec</c> and
/// <c>ip -n NAME</c> see the ones made here and ours see theirs. Code runs inside a namespace on a
/// dedicated thread that enters it and ends with the code: the caller's thread never changes
/// namespace, and sockets opened there (netlink, TCP, UDP) stay in the namespace for their life.
/// Failures throw <see cref="NativeCallException"/> naming the call and the path.
/// </summary>
public static class NetworkNamespaces
{
    /// <summary>Where iproute2 keeps named network namespaces (<c>NETNS_RUN_DIR</c>).</summary>
    public const string RunDirectory = "/run/netns";

    // Creation makes RunDirectory a shared mount point once; two tests creating namespaces at the
    // same moment must not both stack a bind mount on it.
    private static readonly Lock s_setup = new();

    /// <summary>The path that pins <paramref name="name"/>: <c>/run/netns/NAME</c>.</summary>
    public static string PathOf(string name)
    {
        Validate(name);
        return RunDirectory + "/" + name;
    }

    /// <summary>
    /// Creates the network namespace <paramref name="name"/> (<c>ip netns add NAME</c>): a new
    /// namespace with only a loopback device, down. Throws EEXIST when the name is taken.
    /// </summary>
    public static void Create(string name)
    {
        var path = PathOf(name);
        lock (s_setup)
        {
            MakeRunDirectorySharedMount();
        }

        // The file is the mount point: O_EXCL makes a taken name fail before any namespace exists.
        var fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new NativeCallException("create", path, Marshal.GetLastPInvokeError());
        }

        _ = close(fd);
        try
        {
            OnDedicatedThread(() =>
            {
                if (unshare(CLONE_NEWNET) != 0)
                {
                    throw new NativeCallException("unshare CLONE_NEWNET", path, Marshal.GetLastPInvokeError());
                }

                // /proc/thread-self is /proc/self/task/<tid>: this thread's namespace, not the process's.
                if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, 0) != 0)
                {
                    throw new NativeCallException("mount --bind", path, Marshal.GetLastPInvokeError());
                }

                return 0;
            });
        }
        catch
        {
            _ = unlink(path);
            throw;
        }
    }

    /// <summary>
    /// Deletes <paramref name="name"/> (<c>ip netns del NAME</c>): unmounts and removes its file.
    /// The namespace itself goes when nothing else holds it (no process, no open descriptor).
    /// Throws ENOENT when there is no such namespace.
    /// </summary>
    public static void Delete(string name)
    {
        var path = PathOf(name);

        // MNT_DETACH, as iproute2: a namespace file open elsewhere does not keep the name.
        if (umount2(path, MNT_DETACH) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINVAL && errno != Errno.ENOENT)
            {
                throw new NativeCallException("umount", path, errno);
            }
        }

        if (unlink(path) != 0)
        {
            throw new NativeCallException("unlink", path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Whether the namespace <paramref name="name"/> exists.</summary>
    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>The names under <c>/run/netns</c> (<c>ip netns list</c>), sorted.</summary>
    public static IReadOnlyList<string> List()
    {
        if (!Directory.Exists(RunDirectory))
        {
            return [];
        }

        var names = Directory.GetFiles(RunDirectory).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Opens <paramref name="name"/>: a descriptor that holds the namespace alive while open, for
    /// <see cref="Run{T}(SafeHandle, Func{T})"/>, <c>setns(2)</c> or rtnetlink's <c>IFLA_NET_NS_FD</c>.
    /// </summary>
    public static SafeFileHandle Open(string name)
    {
        var path = PathOf(name);
        var fd = open(path, O_RDONLY | O_CLOEXEC, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new NativeCallException("open", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>Runs <paramref name="action"/> inside the namespace <paramref name="name"/> and returns its result; its exception is rethrown as is.</summary>
    public static T Run<T>(string name, Func<T> action)
    {
        using var handle = Open(name);
        return Run(handle, action);
    }

    /// <summary>Runs <paramref name="action"/> inside the namespace <paramref name="name"/>; its exception is rethrown as is.</summary>
    public static void Run(string name, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _ = Run(name, () =>
        {
            action();
            return 0;
        });
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread that has entered <paramref name="networkNamespace"/>
    /// (an open namespace); the thread ends with the action. Returns its result; its exception is rethrown as is.
    /// </summary>
    public static T Run<T>(SafeHandle networkNamespace, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        ArgumentNullException.ThrowIfNull(action);
        return OnDedicatedThread(() =>
        {
            var added = false;
            try
            {
                networkNamespace.DangerousAddRef(ref added);
                if (setns((int)networkNamespace.DangerousGetHandle(), CLONE_NEWNET) != 0)
                {
                    throw new NativeCallException("setns CLONE_NEWNET", "fd " + networkNamespace.DangerousGetHandle(), Marshal.GetLastPInvokeError());
                }
            }
            finally
            {
                if (added)
                {
                    networkNamespace.DangerousRelease();
                }
            }

            return action();
        });
    }

    /// <summary>
    /// Makes <c>/run/netns</c> a shared mount point, as <c>ip netns add</c> does, so a namespace
    /// mounted here later propagates to mount namespaces made from ours (and theirs to us).
    /// </summary>
    private static void MakeRunDirectorySharedMount()
    {
        Directory.CreateDirectory(RunDirectory);
        if (mount("", RunDirectory, "none", MS_SHARED | MS_REC, 0) == 0)
        {
            return;
        }

        // EINVAL: not a mount point yet; bind it onto itself, then share it.
        var errno = Marshal.GetLastPInvokeError();
        if (errno != Errno.EINVAL)
        {
            throw new NativeCallException("mount --make-rshared", RunDirectory, errno);
        }

        if (mount(RunDirectory, RunDirectory, "none", MS_BIND | MS_REC, 0) != 0)
        {
            throw new NativeCallException("mount --rbind", RunDirectory, Marshal.GetLastPInvokeError());
        }

        if (mount("", RunDirectory, "none", MS_SHARED | MS_REC, 0) != 0)
        {
            throw new NativeCallException("mount --make-rshared", RunDirectory, Marshal.GetLastPInvokeError());
        }
    }

    private static T OnDedicatedThread<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;

        // A thread of its own, never a pool thread: it leaves in the namespace it entered.
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.Length > 255)
        {
            throw new ArgumentException($"invalid network namespace name \"{name}\": it must be a file name (no '/', not . or .., at most 255 bytes)", nameof(name));
        }
    }
}
