
using System.Text;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Client.Tests;

public sealed class KubeconfigFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "kpf-kubeconfig-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void ReadServer_CurrentContext_PicksItsCluster()
    {
        File.WriteAllText(_path, """
            clusters:
            - name: a
              cluster: {server: "http://198.18.0.1:6443"}
            - name: b
              cluster: {server: "http://127.0.0.1:8080"}
            contexts:
            - name: ctx
              context: {cluster: b, user: u}
            current-context: ctx
            """);

        Assert.Equal(new Uri("http://127.0.0.1:8080"), KubeconfigFile.Read(_path).Server);
    }

    [Fact]
    public void ReadServer_NoCurrentContextOneCluster_PicksIt()
    {
        File.WriteAllText(_path, "clusters:\n- name: a\n  cluster:\n    server: http://127.0.0.1:9\n");

        Assert.Equal(new Uri("http://127.0.0.1:9"), KubeconfigFile.Read(_path).Server);
    }

    [Fact]
    public void ReadServer_ContextOfMissingCluster_ThrowsNamingFile()
    {
        File.WriteAllText(_path, "contexts:\n- name: c\n  context: {cluster: gone}\ncurrent-context: c\n");

        var error = Assert.Throws<FormatException>(() => KubeconfigFile.Read(_path).Server);

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains("gone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmbeddedCaAndCertificate_GivesCredentials()
    {
        using var ca = CertificateAuthority.Create("test-ca", TimeProvider.System);
        using var client = ca.Issue(new LeafSpec { CommonName = "alice", Organizations = ["devs"] }, TimeProvider.System);
        File.WriteAllText(_path, $"""
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {Base64(PemFiles.Encode(ca.Certificate))}
                tls-server-name: kubernetes
            users:
            - name: u
              user:
                client-certificate-data: {Base64(PemFiles.Encode(client))}
                client-key-data: {Base64(PemFiles.EncodeKey(client))}
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x
            """);

        var (server, credentials) = KubeconfigFile.Read(_path);

        Assert.Equal(new Uri("https://127.0.0.1:6443"), server);
        Assert.Equal(ca.Certificate.Thumbprint, Assert.Single(credentials.CertificateAuthorities!).Thumbprint);
        Assert.Equal(client.Thumbprint, credentials.ClientCertificate!()!.Thumbprint);
        Assert.True(credentials.ClientCertificate!()!.HasPrivateKey);
        Assert.Equal("kubernetes", credentials.TlsServerName);
        Assert.Null(credentials.BearerToken);
    }

    [Fact]
    public void Read_CertificateFiles_AreReadAgainWhenRotated()
    {
        using var ca = CertificateAuthority.Create("test-ca", TimeProvider.System);
        using var first = ca.Issue(new LeafSpec { CommonName = "system:node:n1" }, TimeProvider.System);
        using var second = ca.Issue(new LeafSpec { CommonName = "system:node:n1" }, TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("kpf-kubeconfig-files-").FullName;
        try
        {
            PemFiles.WriteCertificateAndKey(Path.Combine(directory, "c.crt"), Path.Combine(directory, "c.key"), first);
            File.WriteAllText(_path, $"""
                clusters:
                - name: c
                  cluster: {"{"}server: "https://127.0.0.1:6443"{"}"}
                users:
                - name: u
                  user: {"{"}client-certificate: "{directory}/c.crt", client-key: "{directory}/c.key"{"}"}
                contexts:
                - name: x
                  context: {"{"}cluster: c, user: u{"}"}
                current-context: x
                """);
            var (_, credentials) = KubeconfigFile.Read(_path);
            Assert.Equal(first.Thumbprint, credentials.ClientCertificate!()!.Thumbprint);

            PemFiles.WriteCertificateAndKey(Path.Combine(directory, "c.crt"), Path.Combine(directory, "c.key"), second);
            File.SetLastWriteTimeUtc(Path.Combine(directory, "c.crt"), DateTime.UtcNow.AddMinutes(1));

            Assert.True(SpinWait.SpinUntil(() => credentials.ClientCertificate!()!.Thumbprint == second.Thumbprint, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Read_TokenAndKeyWithoutCertificate_TokenReadAndHalfPairRefused()
    {
        File.WriteAllText(_path, """
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:6443"}
            users:
            - name: u
              user: {token: abc.def}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);
        Assert.Equal("abc.def", KubeconfigFile.Read(_path).Credentials.BearerToken!());

        File.WriteAllText(_path, """
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:6443"}
            users:
            - name: u
              user: {client-key: /nonexistent/key}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);
        var error = Assert.Throws<FormatException>(() => KubeconfigFile.Read(_path));
        Assert.Contains("client-key", error.Message, StringComparison.Ordinal);
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
}
