using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeProxyFast.Testing;

/// <summary>
/// A <c>kpf server</c> child process (the test project's own build, <c>kpf.dll</c> beside the tests)
/// inside a private network namespace where all of 198.18.0.0/15 is local, and an
/// <see cref="HttpClient"/> (the admin, over HTTPS) whose sockets are created in that namespace. What the apiserver
/// proxies to there (198.18.x.y) is a real, allowed destination that never leaves the namespace;
/// the machine's own loopback services are out of its reach. Everything goes on dispose.
/// </summary>
public sealed class NamespacedKpfServer : IAsyncDisposable
{
    private readonly KpfServerProcess _server;

    private NamespacedKpfServer(NetworkNamespace ns, KpfServerProcess server)
    {
        Namespace = ns;
        _server = server;
        var handler = KubeconfigTls.Apply(
            new SocketsHttpHandler { UseProxy = false, ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, ct) },
            () => server.KubeconfigPath);
        Http = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The namespace the server and its clients live in.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>The server's URL, valid inside <see cref="Namespace"/>.</summary>
    public Uri Url => _server.Url;

    /// <summary>The admin kubeconfig the server wrote.</summary>
    public string KubeconfigPath => _server.KubeconfigPath;

    /// <summary>A client whose connections are made inside <see cref="Namespace"/>, as the admin of <see cref="KubeconfigPath"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>Creates the namespace and starts <c>kpf server</c> in it (the apiserver alone) on the embedded store in a temporary directory.</summary>
    public static async Task<NamespacedKpfServer> StartAsync()
    {
        var ns = NetworkNamespace.Create();
        var directory = Directory.CreateTempSubdirectory("kpf-nsserver-").FullName;
        try
        {
            return new NamespacedKpfServer(ns, await KpfServerProcess.StartAsync(ns, directory, "--disable", "scheduler,controllers"));
        }
        catch
        {
            ns.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>A TCP listener on <paramref name="address"/> (in 198.18.0.0/15) and a free port, inside the namespace.</summary>
    public TcpListener Listen(string address) => Namespace.Run(() =>
    {
        var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start(backlog: 512);
        return listener;
    });

    /// <summary>POSTs JSON and fails with the answer unless it is 201 Created.</summary>
    public async Task CreateAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Merge-patches a status subresource and fails with the answer unless it is 200.</summary>
    public async Task PatchStatusAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
        using var response = await Http.PatchAsync(path, content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"PATCH {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await _server.DisposeAsync();
        }
        finally
        {
            Namespace.Dispose();
            Directory.Delete(_server.DataDirectory, recursive: true);
        }
    }

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(endpoint.Host);
        var socket = Namespace.Run(() => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
