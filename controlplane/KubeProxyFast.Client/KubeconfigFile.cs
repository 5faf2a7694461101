using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

/// <summary>
/// The part of a kubeconfig this client uses, read as client-go reads it: the current context's
/// cluster (<c>server</c>, <c>certificate-authority[-data]</c>, <c>insecure-skip-tls-verify</c>,
/// <c>tls-server-name</c>) and user (<c>client-certificate[-data]</c> with <c>client-key[-data]</c>,
/// <c>token</c>, <c>tokenFile</c>). Without a current context the only cluster is used. File paths
/// are relative to the kubeconfig's directory; certificate and key files are read again when they
/// change, so a rotated client certificate is picked up by new connections.
/// </summary>
internal static class KubeconfigFile
{
    /// <summary>The server and credentials of the current context.</summary>
    /// <exception cref="FormatException">Not a kubeconfig, no server, or credentials that cannot be read; the message names the file and the entry.</exception>
    public static (Uri Server, KubeClientCredentials Credentials) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var documents = YamlDocuments.ToJson(File.ReadAllText(path));
        if (documents.Count == 0)
        {
            throw new FormatException($"kubeconfig {path} is empty");
        }

        using var document = JsonDocument.Parse(documents[0]);
        var root = document.RootElement;
        var (cluster, user, why) = FindEntries(root);
        var server = cluster is { } c ? String(c, "server") : null;
        if (server is null || !Uri.TryCreate(server, UriKind.Absolute, out var uri))
        {
            throw new FormatException($"kubeconfig {path}: {why ?? (server is null ? "the cluster has no server" : $"server \"{server}\" is not an absolute URL")}");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            return (uri, Credentials(cluster!.Value, user, directory));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new FormatException($"kubeconfig {path}: {e.Message}", e);
        }
    }

    private static KubeClientCredentials Credentials(JsonElement cluster, JsonElement? user, string directory)
    {
        var authorities = Pem(cluster, "certificate-authority-data", "certificate-authority", directory) is { } caPem ? ParseCertificates(caPem, "certificate-authority") : null;
        Func<X509Certificate2?>? certificate = null;
        Func<string?>? token = null;
        if (user is { } u)
        {
            certificate = ClientCertificate(u, directory);
            if (String(u, "token") is { Length: > 0 } fixedToken)
            {
                token = () => fixedToken;
            }
            else if (String(u, "tokenFile") is { Length: > 0 } tokenFile)
            {
                var reader = new ChangingFile<string>(Path.Combine(directory, tokenFile), null, (text, _) => text.Trim());
                _ = reader.Current();
                token = reader.Current;
            }
        }

        return new KubeClientCredentials
        {
            CertificateAuthorities = authorities,
            ClientCertificate = certificate,
            BearerToken = token,
            InsecureSkipTlsVerify = Bool(cluster, "insecure-skip-tls-verify"),
            TlsServerName = String(cluster, "tls-server-name"),
        };
    }

    private static Func<X509Certificate2?>? ClientCertificate(JsonElement user, string directory)
    {
        var certificateData = String(user, "client-certificate-data");
        var keyData = String(user, "client-key-data");
        if (certificateData is not null || keyData is not null)
        {
            var fixedCertificate = X509Certificate2.CreateFromPem(Decode(certificateData, "client-certificate-data"), Decode(keyData, "client-key-data"));
            return () => fixedCertificate;
        }

        var certificateFile = String(user, "client-certificate");
        var keyFile = String(user, "client-key");
        if (certificateFile is null && keyFile is null)
        {
            return null;
        }

        if (certificateFile is null || keyFile is null)
        {
            throw new FormatException("the user has a client-certificate without a client-key, or a key without a certificate");
        }

        var reader = new ChangingFile<X509Certificate2>(Path.Combine(directory, certificateFile), Path.Combine(directory, keyFile),
            (certificate, key) => X509Certificate2.CreateFromPem(certificate, key!));
        _ = reader.Current();
        return reader.Current;
    }

    private static string? Pem(JsonElement entry, string dataName, string fileName, string directory) =>
        String(entry, dataName) is { } data ? Decode(data, dataName)
        : String(entry, fileName) is { Length: > 0 } file ? File.ReadAllText(Path.Combine(directory, file))
        : null;

    private static X509Certificate2Collection ParseCertificates(string pem, string name)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection.Count > 0 ? collection : throw new FormatException($"{name} holds no PEM certificate");
    }

    private static string Decode(string? base64, string name)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64 ?? throw new FormatException($"{name} is missing")));
        }
        catch (FormatException e) when (base64 is not null)
        {
            throw new FormatException($"{name} is not base64: {e.Message}", e);
        }
    }

    private static (JsonElement? Cluster, JsonElement? User, string? Why) FindEntries(JsonElement root)
    {
        var clusters = Array(root, "clusters");
        var users = Array(root, "users");
        if (String(root, "current-context") is { Length: > 0 } current)
        {
            var context = Named(Array(root, "contexts"), current);
            var body = context is { } c && c.TryGetProperty("context", out var b) ? b : (JsonElement?)null;
            var clusterName = body is { } cb ? String(cb, "cluster") : null;
            if (clusterName is null)
            {
                return (null, null, $"the current context \"{current}\" names no cluster");
            }

            var cluster = Named(clusters, clusterName) is { } found && found.TryGetProperty("cluster", out var clusterBody) ? clusterBody : (JsonElement?)null;
            if (cluster is null)
            {
                return (null, null, $"cluster \"{clusterName}\" has no server");
            }

            var userName = body is { } ub ? String(ub, "user") : null;
            var user = userName is not null && Named(users, userName) is { } namedUser && namedUser.TryGetProperty("user", out var userBody) ? userBody : (JsonElement?)null;
            return (cluster, user, null);
        }

        if (clusters.Count != 1)
        {
            return (null, null, "there is no current-context to choose among the clusters");
        }

        var only = clusters[0].TryGetProperty("cluster", out var onlyBody) ? onlyBody : (JsonElement?)null;
        var onlyUser = users.Count == 1 && users[0].TryGetProperty("user", out var onlyUserBody) ? onlyUserBody : (JsonElement?)null;
        return (only, onlyUser, only is null ? "the cluster has no server" : null);
    }

    private static List<JsonElement> Array(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray()]
            : [];

    private static JsonElement? Named(List<JsonElement> entries, string name)
    {
        foreach (var entry in entries)
        {
            if (String(entry, "name") == name)
            {
                return entry;
            }
        }

        return null;
    }

    private static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool Bool(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
