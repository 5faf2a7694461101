using System.Globalization;
using System.Net;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// The processes users run, each on its own so its CPU and memory are its own: a Debian etcd (or
/// none: the embedded store), <c>kpf server --disable scheduler,controllers</c> on it, and the
/// roles the run adds with <c>--kubeconfig</c> (<c>kpf scheduler</c>, <c>kpf controller-manager</c>).
/// Everything is stopped and its data deleted on dispose.
/// </summary>
internal sealed class PerfCluster : IAsyncDisposable
{
    // "kpf server: serving https://… on …"; "kpf server: apiserver: serving …" when it runs several roles.
    private const string Serving = "serving https://";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _kpf;
    private readonly string _directory;
    private readonly EtcdServer? _etcd;
    private readonly List<KpfChild> _roles = [];

    private PerfCluster(string kpf, string directory, EtcdServer? etcd, KpfChild server, Uri url, int creators)
    {
        _kpf = kpf;
        _directory = directory;
        _etcd = etcd;
        Server = server;
        Url = url;
        // As the admin of the server's kubeconfig, over HTTPS.
        Http = new HttpClient(KubeconfigTls.Apply(new SocketsHttpHandler { MaxConnectionsPerServer = creators, UseProxy = false }, () => Kubeconfig))
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromMinutes(2),
        };
        WatchHttp = new HttpClient(KubeconfigTls.Apply(new SocketsHttpHandler { UseProxy = false }, () => Kubeconfig)) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
    }

    public KpfChild Server { get; }

    public Uri Url { get; }

    /// <summary>For writes, one connection per creator.</summary>
    public HttpClient Http { get; }

    /// <summary>For watches (no timeout).</summary>
    public HttpClient WatchHttp { get; }

    public string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    /// <summary>The etcd process's id, when the store is etcd.</summary>
    public int? EtcdPid { get; private set; }

    /// <summary>Starts the store (<c>etcd</c> or <c>embedded</c>) and the server on it; returns once its kubeconfig is written.</summary>
    public static async Task<PerfCluster> StartAsync(string kpf, string store, int creators, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("kpf-schedbench-").FullName;
        EtcdServer? etcd = null;
        KpfChild? server = null;
        try
        {
            string[] storeArgs = [];
            if (store == "etcd")
            {
                etcd = EtcdServer.Launch();
                storeArgs = ["--etcd-servers", etcd.ClientUrl];
            }
            else if (store != "embedded")
            {
                throw new ArgumentException($"--stores: \"{store}\": etcd or embedded");
            }

            server = KpfChild.Start(kpf, ["server", "--data-dir", directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--disable", "scheduler,controllers", "--log-level", "warning", .. storeArgs]);
            var serving = await server.WaitForLineAsync(Serving, StartTimeout, cancellationToken).ConfigureAwait(false);
            await server.WaitForLineAsync("kubeconfig written", StartTimeout, cancellationToken).ConfigureAwait(false);
            var url = new Uri(serving[(serving.IndexOf(Serving, StringComparison.Ordinal) + "serving ".Length)..].Split(' ')[0]);
            return new PerfCluster(kpf, directory, etcd, server, url, creators)
            {
                EtcdPid = etcd is null ? null : ChildPid("etcd"),
            };
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            etcd?.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Starts <c>kpf <paramref name="role"/> --kubeconfig … <paramref name="args"/></c>; stopped with the cluster.</summary>
    public KpfChild StartRole(string role, params string[] args)
    {
        var child = KpfChild.Start(_kpf, [role, "--kubeconfig", Kubeconfig, "--log-level", "warning", .. args]);
        _roles.Add(child);
        return child;
    }

    /// <summary>Creates a namespace.</summary>
    public async Task CreateNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        using var content = PerfObjects.Namespace(name);
        using var response = await Http.PostAsync("/api/v1/namespaces", content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"namespace {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        WatchHttp.Dispose();
        try
        {
            foreach (var role in Enumerable.Reverse(_roles))
            {
                await role.DisposeAsync().ConfigureAwait(false);
            }

            await Server.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _etcd?.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The id of this process's child named <paramref name="comm"/> (from /proc), or null.</summary>
    private static int? ChildPid(string comm)
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (name == comm && parent == self)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return null;
    }
}
