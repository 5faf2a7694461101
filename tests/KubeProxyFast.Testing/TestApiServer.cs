using System.Net.Http.Headers;
using System.Text;
using KubeProxyFast.ApiServer;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Testing;

/// <summary>
/// A real apiserver on a free loopback port over a real store (embedded in memory unless given
/// one, or opened on an <see cref="ITestStoreData"/>), with a kubeconfig and a private HOME for
/// kubectl, all removed on dispose.
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    // A prefix no key has: listing it reads the store's revision and nothing else.
    private const string StoreKeysNone = "/registry/\uffff-none/";

    private readonly bool _ownsStore;

    private TestApiServer(ApiServerHost host, IStore store, bool ownsStore, string directory, long initialRevision)
    {
        Host = host;
        Store = store;
        InitialRevision = initialRevision;
        _ownsStore = ownsStore;
        Directory = directory;
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        Kubeconfig.Write(KubeconfigPath, host.Url);
        Http = new HttpClient { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ApiServerHost Host { get; }

    public IStore Store { get; }

    /// <summary>The store's revision before this server started: a watch from it sees everything the server wrote.</summary>
    public long InitialRevision { get; }

    public Uri Url => Host.Url;

    /// <summary>A temporary directory of this server's (kubeconfig, kubectl's HOME).</summary>
    public string Directory { get; }

    public string KubeconfigPath { get; }

    public HttpClient Http { get; }

    /// <summary>The cluster IP range of test servers: inside 198.18.0.0/15, the benchmark range tests use.</summary>
    public const string ServiceClusterIpRange = "198.19.0.0/16";

    /// <summary>Starts an apiserver over <paramref name="store"/> (not disposed with it), or over a fresh in-memory store.</summary>
    /// <param name="store">The store (not disposed with the server); a fresh in-memory one when null.</param>
    /// <param name="options">The server's options; the port is always a free one.</param>
    /// <param name="loggerFactory">Where the server logs (the fuzz test reads the exceptions behind a 500); nowhere when null.</param>
    public static Task<TestApiServer> StartAsync(IStore? store = null, ApiServerOptions? options = null, ILoggerFactory? loggerFactory = null) =>
        store is null
            ? StartAsync(EmbeddedStore.Open(new EmbeddedStoreOptions()), owns: true, options, loggerFactory)
            : StartAsync(store, owns: false, options, loggerFactory);

    /// <summary>Starts an apiserver over a store opened on <paramref name="data"/> (disposed with the server; the data stays, for a restart).</summary>
    public static Task<TestApiServer> StartAsync(ITestStoreData data, ApiServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return StartAsync(data.Open(), owns: true, options, null);
    }

    private static async Task<TestApiServer> StartAsync(IStore store, bool owns, ApiServerOptions? options, ILoggerFactory? loggerFactory)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("kpf-apiserver-").FullName;
        try
        {
            var initialRevision = (await store.ListAsync(StoreKeysNone)).Revision;
            var host = await ApiServerHost.StartAsync(store, (options ?? new ApiServerOptions { ServiceClusterIpRange = ServiceClusterIpRange }) with { Port = 0 }, loggerFactory ?? NullLoggerFactory.Instance);
            return new TestApiServer(host, store, owns, directory, initialRevision);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            if (owns)
            {
                await store.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Runs kubectl with this server's kubeconfig and a private HOME (its discovery cache stays ours).</summary>
    public ProcessResult Kubectl(params string[] args) => KubectlWithInput(null, args);

    /// <summary>Runs kubectl with <paramref name="stdin"/> (for <c>-f -</c>).</summary>
    public ProcessResult KubectlWithInput(string? stdin, params string[] args)
    {
        var all = new List<string> { "--kubeconfig", KubeconfigPath };
        all.AddRange(args);
        return ProcessResult.Run("kubectl", all, stdin, new Dictionary<string, string> { ["HOME"] = Directory });
    }

    /// <summary>POSTs JSON and returns the response.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>PUTs JSON and returns the response.</summary>
    public Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>PATCHes with the given patch media type.</summary>
    public Task<HttpResponseMessage> PatchAsync(string path, string body, string mediaType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Http.PatchAsync(path, content);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await Host.DisposeAsync();
        }
        finally
        {
            if (_ownsStore)
            {
                await Store.DisposeAsync();
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
