using System.Globalization;
using System.Text;

namespace KubeProxyFast.ApiServer;

/// <summary>A kubeconfig that points kubectl and the client libraries at this apiserver.</summary>
public static class Kubeconfig
{
    /// <summary>The name of the cluster, user and context entries.</summary>
    public const string Name = "kpf";

    /// <summary>
    /// The kubeconfig text for <paramref name="server"/>, with <paramref name="credentials"/>
    /// embedded (<c>certificate-authority-data</c>, <c>client-certificate-data</c>/<c>client-key-data</c>,
    /// <c>token</c>); without credentials there is no user entry (the official C# client refuses a
    /// user without any).
    /// </summary>
    public static string Render(Uri server, KubeconfigCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {Name}
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}

            """);
        if (credentials?.CertificateAuthorityPem is { } ca)
        {
            text.Append(CultureInfo.InvariantCulture, $"    certificate-authority-data: {Base64(ca)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"""
            contexts:
            - name: {Name}
              context:
                cluster: {Name}

            """);
        var hasUser = credentials is { ClientCertificatePem: not null } or { Token: not null };
        if (hasUser)
        {
            text.Append(CultureInfo.InvariantCulture, $"    user: {Name}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"""
                namespace: default
            current-context: {Name}

            """);
        if (!hasUser)
        {
            text.Append("users: []\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"users:\n- name: {Name}\n  user:\n");
            if (credentials!.ClientCertificatePem is { } certificate)
            {
                text.Append(CultureInfo.InvariantCulture, $"    client-certificate-data: {Base64(certificate)}\n");
                text.Append(CultureInfo.InvariantCulture, $"    client-key-data: {Base64(credentials.ClientKeyPem ?? throw new ArgumentException("a client certificate without its key", nameof(credentials)))}\n");
            }

            if (credentials.Token is { } token)
            {
                text.Append(CultureInfo.InvariantCulture, $"    token: {token}\n");
            }
        }

        text.Append("preferences: {}\n");
        return text.ToString();
    }

    /// <summary>
    /// Writes the kubeconfig to <paramref name="path"/> atomically (a temporary file renamed over
    /// it), with <paramref name="mode"/> (owner read and write only by default: it holds credentials).
    /// </summary>
    public static void Write(string path, Uri server, KubeconfigCredentials? credentials = null, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            if (!OperatingSystem.IsWindows())
            {
                // The credentials are never readable by others, not even between the write and the final mode.
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(Encoding.UTF8.GetBytes(Render(server, credentials)));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, mode);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}

/// <summary>What a written kubeconfig carries besides the server: the CA to trust and the user's credentials, as PEM text or a token.</summary>
/// <param name="CertificateAuthorityPem">The CA bundle the server's certificate chains to.</param>
/// <param name="ClientCertificatePem">The user's client certificate.</param>
/// <param name="ClientKeyPem">Its private key.</param>
/// <param name="Token">A bearer token.</param>
public sealed record KubeconfigCredentials(string? CertificateAuthorityPem, string? ClientCertificatePem = null, string? ClientKeyPem = null, string? Token = null);
