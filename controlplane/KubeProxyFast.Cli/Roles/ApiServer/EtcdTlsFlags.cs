using System.CommandLine;
using System.Security.Cryptography;
using KubeProxyFast.Pki;
using KubeProxyFast.Storage.Etcd;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>
/// kube-apiserver's etcd TLS flags: <c>--etcd-cafile</c> (the CAs etcd's serving certificates
/// chain to), <c>--etcd-certfile</c> and <c>--etcd-keyfile</c> (the client certificate etcd's
/// <c>--client-cert-auth</c> asks for), used with https <c>--etcd-servers</c>.
/// </summary>
internal sealed class EtcdTlsFlags
{
    private readonly Option<string> _caFile = new("--etcd-cafile")
    {
        Description = "CA bundle (PEM) that etcd's serving certificates must chain to [default: the machine's trust store]",
        HelpName = "file",
    };

    private readonly Option<string> _certFile = new("--etcd-certfile")
    {
        Description = "Client certificate (PEM) presented to etcd; with --etcd-keyfile",
        HelpName = "file",
    };

    private readonly Option<string> _keyFile = new("--etcd-keyfile")
    {
        Description = "Private key (PEM) of --etcd-certfile",
        HelpName = "file",
    };

    /// <summary>The three options.</summary>
    public IEnumerable<Option> Options => [_caFile, _certFile, _keyFile];

    /// <summary>Refuses a certificate without its key (or a key without its certificate), and TLS files without https etcd servers.</summary>
    public void AddRules(Command command, Option<string> etcdServers) => command.Validators.Add(result =>
    {
        var cert = result.GetValue(_certFile);
        var key = result.GetValue(_keyFile);
        if (string.IsNullOrEmpty(cert) != string.IsNullOrEmpty(key))
        {
            result.AddError("--etcd-certfile and --etcd-keyfile go together");
        }

        var anyFile = !string.IsNullOrEmpty(cert) || !string.IsNullOrEmpty(key) || !string.IsNullOrEmpty(result.GetValue(_caFile));
        if (anyFile && string.IsNullOrEmpty(result.GetValue(etcdServers)))
        {
            result.AddError("--etcd-cafile, --etcd-certfile and --etcd-keyfile need --etcd-servers (https URLs)");
        }
    });

    /// <summary>The files given, or null when none is.</summary>
    public EtcdTlsFiles? Bind(ParseResult parse)
    {
        var files = new EtcdTlsFiles(Given(parse, _caFile), Given(parse, _certFile), Given(parse, _keyFile));
        return files is { CaFile: null, CertFile: null } ? null : files;
    }

    private static string? Given(ParseResult parse, Option<string> option) => parse.GetValue(option) is { Length: > 0 } value ? value : null;
}

/// <summary>The etcd TLS files of <see cref="EtcdTlsFlags"/>.</summary>
/// <param name="CaFile"><c>--etcd-cafile</c>, or null for the machine's trust store.</param>
/// <param name="CertFile"><c>--etcd-certfile</c>, or null for no client certificate.</param>
/// <param name="KeyFile"><c>--etcd-keyfile</c>, given with <paramref name="CertFile"/>.</param>
internal sealed record EtcdTlsFiles(string? CaFile, string? CertFile, string? KeyFile)
{
    /// <summary>Reads the files.</summary>
    /// <exception cref="IOException">A file that cannot be read.</exception>
    /// <exception cref="ArgumentException">A file that holds no PEM certificate or key, or a key that does not match the certificate.</exception>
    public EtcdTls Load()
    {
        try
        {
            return new EtcdTls
            {
                CertificateAuthorities = CaFile is null ? null : PemFiles.ReadCertificates(CaFile),
                ClientCertificate = CertFile is null ? null : PemFiles.ReadCertificateWithKey(CertFile, KeyFile!),
            };
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"etcd TLS files (--etcd-cafile {CaFile ?? "-"}, --etcd-certfile {CertFile ?? "-"}, --etcd-keyfile {KeyFile ?? "-"}): {e.Message}", e);
        }
    }
}
