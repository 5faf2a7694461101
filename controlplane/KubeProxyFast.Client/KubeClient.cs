using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

/// <summary>
/// A typed client of the REST API (<c>/api/v1</c> and the named groups), generic over the kinds of <see cref="KubeKinds"/>.
/// Non-2xx answers throw <see cref="KubeApiException"/> with the server's Status; an unreachable
/// server or a broken connection throws <see cref="KubeConnectionException"/> naming the URL.
/// Thread-safe; one instance per process is the intended use.
/// </summary>
public sealed partial class KubeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Uses <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the apiserver; not disposed with this client.</summary>
    public KubeClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        BaseAddress = http.BaseAddress ?? throw new ArgumentException("the HttpClient has no BaseAddress", nameof(http));
    }

    /// <summary>Talks to the apiserver at <paramref name="server"/> (e.g. <c>http://127.0.0.1:8080</c>) over an HttpClient of its own.</summary>
    public KubeClient(Uri server)
        : this(new HttpClient { BaseAddress = server ?? throw new ArgumentNullException(nameof(server)) })
    {
        _ownsHttp = true;
    }

    /// <summary>
    /// Talks to the apiserver at <paramref name="server"/> with <paramref name="credentials"/>: the
    /// server's certificate checked against their CAs, their client certificate and bearer token sent.
    /// </summary>
    public KubeClient(Uri server, KubeClientCredentials credentials)
        : this(new HttpClient(ClientTls.CreateHandler(credentials ?? throw new ArgumentNullException(nameof(credentials))))
        {
            BaseAddress = server ?? throw new ArgumentNullException(nameof(server)),
        })
    {
        _ownsHttp = true;
    }

    /// <summary>The apiserver's address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for the server and user of the current context of the kubeconfig at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not a kubeconfig, names no server for its current context, or its credentials cannot be read.</exception>
    public static KubeClient FromKubeconfig(string path)
    {
        var (server, credentials) = KubeconfigFile.Read(path);
        return new KubeClient(server, credentials);
    }

    /// <summary>The server and credentials of the current context of the kubeconfig at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not a kubeconfig, names no server, or its credentials cannot be read.</exception>
    public static (Uri Server, KubeClientCredentials Credentials) ReadKubeconfig(string path) => KubeconfigFile.Read(path);

    /// <summary>GET one object; <paramref name="ns"/> is ignored (may be null) for cluster-scoped kinds.</summary>
    public Task<T> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubeObject =>
        SendForObjectAsync<T>(HttpMethod.Get, ResourcePaths.For<T>().Item(ns, name), null, cancellationToken);

    /// <summary>POST a new object into its <c>metadata.namespace</c>; returns it as stored (uid, resourceVersion, defaults).</summary>
    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        var paths = ResourcePaths.For<T>();
        var ns = RequireNamespace(paths, obj);
        return SendForObjectAsync<T>(HttpMethod.Post, paths.Collection(ns), JsonContent.Of(obj), cancellationToken);
    }

    /// <summary>PUT the object; its <c>metadata.resourceVersion</c>, when set, must be current (else 409 Conflict).</summary>
    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : KubeObject => PutAsync(obj, null, cancellationToken);

    /// <summary>PUT the object's <c>status</c> subresource: only its status changes.</summary>
    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : KubeObject => PutAsync(obj, "status", cancellationToken);

    /// <summary>PUT another subresource written like the status (<c>certificatesigningrequests/approval</c>).</summary>
    public Task<T> UpdateSubresourceAsync<T>(T obj, string subresource, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentException.ThrowIfNullOrEmpty(subresource);
        return PutAsync(obj, subresource, cancellationToken);
    }

    /// <summary>PATCH one object with a patch document (JSON text) of <paramref name="type"/>.</summary>
    public Task<T> PatchAsync<T>(string? ns, string name, PatchType type, string patch, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ResourcePaths.For<T>().Item(ns, name);
        return SendForObjectAsync<T>(HttpMethod.Patch, path, JsonContent.Of(patch, PatchMediaType(type)), cancellationToken);
    }

    /// <summary>PATCH the <c>status</c> subresource of one object (as the scheduler writes a pod's <c>PodScheduled</c> condition).</summary>
    public Task<T> PatchStatusAsync<T>(string? ns, string name, PatchType type, string patch, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ResourcePaths.For<T>().Item(ns, name, "status");
        return SendForObjectAsync<T>(HttpMethod.Patch, path, JsonContent.Of(patch, PatchMediaType(type)), cancellationToken);
    }

    /// <summary>
    /// DELETE one object. Returns its last state, or its state with a deletionTimestamp when the
    /// deletion is graceful (a pod on a node); null when the server answered with a Status.
    /// </summary>
    public async Task<T?> DeleteAsync<T>(string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var path = ResourcePaths.For<T>().Item(ns, name);
        var content = options is null ? null : JsonContent.Of(KubeJson.SerializeToUtf8Bytes(options));
        var body = await SendForBytesAsync(HttpMethod.Delete, path, content, cancellationToken).ConfigureAwait(false);
        using var document = KubeJson.ParseDocument(body);
        var root = document.RootElement;
        return root.TryGetProperty("kind", out var kind) && kind.ValueKind == System.Text.Json.JsonValueKind.String && kind.GetString() == "Status"
            ? null
            : KubeJson.Deserialize<T>(root);
    }

    /// <summary>
    /// POST <c>pods/{name}/binding</c>: assigns the pod to <paramref name="nodeName"/> (409 when it is
    /// already bound). <paramref name="uid"/>, when given, is sent in the Binding's metadata, as
    /// kube-scheduler does, so the binding is meant for that pod and not a namesake created since.
    /// </summary>
    public async Task BindAsync(string ns, string podName, string nodeName, string? uid = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var binding = new Binding
        {
            Kind = "Binding",
            ApiVersion = "v1",
            Metadata = new ObjectMeta { Name = podName, Namespace = ns, Uid = string.IsNullOrEmpty(uid) ? null : uid },
            Target = new ObjectReference { Kind = "Node", ApiVersion = "v1", Name = nodeName },
        };
        var path = ResourcePaths.For<Pod>().Item(ns, podName, "binding");
        await SendForBytesAsync(HttpMethod.Post, path, JsonContent.Of(binding), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// POSTs a JSON document to <paramref name="path"/> and returns the JSON answer: for the
    /// create-only review resources (TokenReview, SubjectAccessReview) a kubelet sends before the
    /// typed model of every caller has them. Errors are as the typed calls'.
    /// </summary>
    public async Task<System.Text.Json.Nodes.JsonNode?> PostJsonAsync(string path, System.Text.Json.Nodes.JsonNode body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(body);
        var answer = await SendForBytesAsync(HttpMethod.Post, path, JsonContent.Of(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())), cancellationToken)
            .ConfigureAwait(false);
        return System.Text.Json.Nodes.JsonNode.Parse(answer);
    }

    /// <summary>Disposes the HttpClient when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Task<T> PutAsync<T>(T obj, string? subresource, CancellationToken cancellationToken)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        var paths = ResourcePaths.For<T>();
        var name = obj.Metadata.Name ?? throw new ArgumentException("the object has no metadata.name", nameof(obj));
        var path = paths.Item(RequireNamespace(paths, obj), name, subresource);
        return SendForObjectAsync<T>(HttpMethod.Put, path, JsonContent.Of(obj), cancellationToken);
    }

    private static string? RequireNamespace(ResourcePaths paths, KubeObject obj)
    {
        if (!paths.Kind.Namespaced)
        {
            return null;
        }

        return obj.Metadata.Namespace is { Length: > 0 } ns
            ? ns
            : throw new ArgumentException($"{paths.Kind.Resource} are namespaced: set metadata.namespace", nameof(obj));
    }

    private static string PatchMediaType(PatchType type) => type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a patch type"),
    };
}
