using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeProxyFast.ApiServer;
using KubeProxyFast.ApiServer.Security;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Cli.Roles.ApiServer.Pki;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>The role's TLS and authentication: its PKI, the operator's certificates, and the credentials of the clients it writes or hands out.</summary>
internal sealed partial class ApiServerRole
{
    private ClusterPki? _pki;
    private X509Certificate2? _operatorServing;

    // The CAs a client of this server trusts: our server CA, and the chain of an operator's serving
    // certificate; as PEM, the bytes /cacerts serves, the join token's hash covers and kubeconfigs embed.
    private X509Certificate2Collection _trust = [];
    private byte[] _trustPem = [];

    /// <summary>The server's PKI, once started.</summary>
    public ClusterPki Pki => _pki ?? throw new InvalidOperationException("the apiserver role has not started");

    /// <summary>
    /// A client of this apiserver (its <see cref="Url"/>, over HTTPS) authenticating as
    /// <paramref name="identity"/> with its client certificate, trusting the server's CA: how the
    /// controller manager and the scheduler of <c>kpf server</c> reach it, each as itself.
    /// </summary>
    public KubeClient ClientAs(ClientIdentity identity) => new(
        Url ?? throw new RoleException("the apiserver role is not serving"),
        KubeClientCredentials.WithCertificate(_trust, Pki.ClientCertificate(identity)));

    /// <summary>Loads (or makes) the PKI and the operator's files into the apiserver's security options; a bad file stops the start, naming it.</summary>
    private ApiServerSecurity LoadSecurity(RoleContext context)
    {
        var serving = _settings.Serving;
        var options = _settings.Options;
        var files = new TlsDirectory(_settings.DataDirectory);
        var names = serving.TlsCertFile is null
            ? ServingNames.For(serving.TlsSans, options.BindAddress, options.AdvertiseAddress, options.ServiceClusterIpRange, serving.ClusterDomain)
            : null;
        try
        {
            _pki = ClusterPki.LoadOrCreate(files, names, TimeProvider.System);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new RoleException($"the PKI in {files.Path}: {e.Message}", e);
        }

        foreach (var change in _pki.Changes)
        {
            context.Print(change);
        }

        X509Certificate2Collection chain = [];
        if (serving.TlsCertFile is { } certificateFile)
        {
            try
            {
                _operatorServing = PemFiles.ReadCertificateWithKey(certificateFile, serving.TlsPrivateKeyFile!);
                chain.AddRange(PemFiles.ReadCertificates(certificateFile).Skip(1).ToArray());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new RoleException($"--tls-cert-file {certificateFile} / --tls-private-key-file {serving.TlsPrivateKeyFile}: {e.Message}", e);
            }
        }

        X509Certificate2Collection clientAuthorities = [_pki.ClientCa.Certificate];
        if (serving.ClientCaFile is { } clientCaFile)
        {
            try
            {
                clientAuthorities.AddRange(PemFiles.ReadCertificates(clientCaFile));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new RoleException($"--client-ca-file {clientCaFile}: {e.Message}", e);
            }
        }

        _trust = [_pki.ServerCa.Certificate, .. chain];
        try
        {
            // The server CA file's bytes as they are, so that a join token made from them matches what /cacerts serves.
            _trustPem = [.. File.ReadAllBytes(files.ServerCaCertificate), .. Encoding.ASCII.GetBytes(chain.Count == 0 ? "" : PemFiles.Encode(chain))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RoleException($"the PKI in {files.Path}: {e.Message}", e);
        }

        return new ApiServerSecurity
        {
            ServingCertificate = _operatorServing ?? _pki.ServingCertificate!,
            ServingChain = chain,
            ClientCertificateAuthorities = clientAuthorities,
            TokenAuthFile = serving.TokenAuthFile,
            AnonymousPaths = serving.AnonymousAuth ? ApiServerSecurity.DefaultAnonymousPaths : [],
            InsecurePort = serving.InsecurePort,
            InsecureBindAddress = serving.InsecureBindAddress,
            ServerCaBundlePem = _trustPem,
        };
    }

    /// <summary>The admin kubeconfig: <paramref name="url"/>, the CAs to trust and the admin's client certificate, embedded.</summary>
    private void WriteKubeconfig(Uri url)
    {
        var admin = Pki.ClientCertificate(ClientIdentity.Admin);
        try
        {
            Kubeconfig.Write(
                _settings.KubeconfigPath,
                url,
                new KubeconfigCredentials(Encoding.ASCII.GetString(_trustPem), PemFiles.Encode(admin), PemFiles.EncodeKey(admin)),
                _settings.Serving.KubeconfigMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RoleException($"--write-kubeconfig {_settings.KubeconfigPath}: cannot write it: {e.Message}", e);
        }
    }

    /// <summary>The node join token (<c>&lt;data-dir&gt;/token</c>) and its bootstrap-token Secret, made through this server as the admin.</summary>
    private async Task<string> EnsureNodeTokenAsync(Uri url, CancellationToken cancellationToken)
    {
        var path = NodeToken.PathIn(_settings.DataDirectory);
        // The role is not serving yet (Url is set once the start has succeeded): the host's URL is used directly.
        using var admin = new KubeClient(url, KubeClientCredentials.WithCertificate(_trust, Pki.ClientCertificate(ClientIdentity.Admin)));
        try
        {
            await NodeToken.EnsureAsync(path, _trustPem, admin, cancellationToken).ConfigureAwait(false);
            return path;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or KubeApiException or KubeConnectionException)
        {
            throw new RoleException($"the node join token {path}: {e.Message}", e);
        }
    }

    /// <summary>Releases the certificates (after the server has stopped using them).</summary>
    private void DisposeSecurity()
    {
        _pki?.Dispose();
        _operatorServing?.Dispose();
        (_pki, _operatorServing) = (null, null);
    }
}
