using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Roles.ApiServer.Pki;

/// <summary>
/// <c>kpf server</c>'s own PKI, as k3s keeps it: two CAs made once (the server CA signs serving
/// certificates, the client CA client certificates; ECDSA P-256, ten years, never replaced
/// automatically) and the leaves the server needs — the apiserver's serving certificate and the
/// client certificates of the admin and of the control-plane components — issued on start when
/// missing, unreadable, not signed by the current CA, due for renewal (within
/// <see cref="CertificateRenewal.DefaultWindow"/> of their end) or, for the serving certificate,
/// naming other addresses than the server now serves.
/// </summary>
internal sealed class ClusterPki : IDisposable
{
    private readonly Dictionary<ClientIdentity, X509Certificate2> _clients;

    private ClusterPki(TlsDirectory files, CertificateAuthority serverCa, CertificateAuthority clientCa, X509Certificate2? serving,
        Dictionary<ClientIdentity, X509Certificate2> clients, IReadOnlyList<string> changes)
    {
        Files = files;
        ServerCa = serverCa;
        ClientCa = clientCa;
        ServingCertificate = serving;
        _clients = clients;
        Changes = changes;
    }

    /// <summary>Where the files are.</summary>
    public TlsDirectory Files { get; }

    /// <summary>The CA of serving certificates.</summary>
    public CertificateAuthority ServerCa { get; }

    /// <summary>The CA of client certificates.</summary>
    public CertificateAuthority ClientCa { get; }

    /// <summary>The apiserver's serving certificate with its key; null when the operator supplies one (<c>--tls-cert-file</c>).</summary>
    public X509Certificate2? ServingCertificate { get; }

    /// <summary>What this start created or issued, and why, for the operator (empty when everything was reused).</summary>
    public IReadOnlyList<string> Changes { get; }

    /// <summary>
    /// Loads the PKI under <paramref name="files"/>, creating what is missing and issuing what is due.
    /// </summary>
    /// <param name="files">The tls directory.</param>
    /// <param name="serving">The serving certificate's names; null when the operator supplies the serving certificate.</param>
    /// <param name="time">The clock certificates are issued and judged by.</param>
    /// <exception cref="IOException">A file cannot be read or written, or a CA's files are damaged or incomplete.</exception>
    public static ClusterPki LoadOrCreate(TlsDirectory files, ServingNames? serving, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        OwnerOnlyDirectory(files.Path);
        var changes = new List<string>();
        var serverCa = Authority(files.ServerCaCertificate, files.ServerCaKey, "kpf-server-ca", time, changes);
        CertificateAuthority? clientCa = null;
        var clients = new Dictionary<ClientIdentity, X509Certificate2>();
        X509Certificate2? servingCertificate = null;
        try
        {
            clientCa = Authority(files.ClientCaCertificate, files.ClientCaKey, "kpf-client-ca", time, changes);
            if (serving is not null)
            {
                var spec = new LeafSpec
                {
                    CommonName = "kube-apiserver",
                    DnsNames = serving.DnsNames,
                    IpAddresses = serving.IpAddresses,
                    Usage = CertificateUsage.Server,
                };
                servingCertificate = Leaf(files.ServingCertificate, files.ServingKey, spec, serverCa, serving.SameAs, time, changes);
            }

            foreach (var identity in ClientIdentity.All)
            {
                var spec = new LeafSpec { CommonName = identity.CommonName, Organizations = identity.Organizations, Usage = CertificateUsage.Client };
                clients[identity] = Leaf(files.ClientCertificate(identity), files.ClientKey(identity), spec, clientCa, _ => true, time, changes);
            }

            return new ClusterPki(files, serverCa, clientCa, servingCertificate, clients, changes);
        }
        catch
        {
            serverCa.Dispose();
            clientCa?.Dispose();
            servingCertificate?.Dispose();
            foreach (var certificate in clients.Values)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    /// <summary>The client certificate of <paramref name="identity"/>, with its key.</summary>
    public X509Certificate2 ClientCertificate(ClientIdentity identity) => _clients[identity];

    /// <inheritdoc/>
    public void Dispose()
    {
        ServerCa.Dispose();
        ClientCa.Dispose();
        ServingCertificate?.Dispose();
        foreach (var certificate in _clients.Values)
        {
            certificate.Dispose();
        }
    }

    /// <summary>The CA of these files, made now when neither exists; one without the other, or damaged files, stop the start.</summary>
    private static CertificateAuthority Authority(string certificatePath, string keyPath, string name, TimeProvider time, List<string> changes)
    {
        var (hasCertificate, hasKey) = (File.Exists(certificatePath), File.Exists(keyPath));
        if (!hasCertificate && !hasKey)
        {
            // k3s's names: "<name>@<unix seconds>", so a new CA never has the subject of an old one.
            var authority = CertificateAuthority.Create(
                string.Create(CultureInfo.InvariantCulture, $"{name}@{time.GetUtcNow().ToUnixTimeSeconds()}"), time);
            PemFiles.WriteAuthority(certificatePath, keyPath, authority);
            changes.Add($"created the CA {certificatePath}");
            return authority;
        }

        if (!hasCertificate || !hasKey)
        {
            throw new IOException($"{(hasCertificate ? keyPath : certificatePath)} is missing while {(hasCertificate ? certificatePath : keyPath)} exists: " +
                "a CA is never replaced automatically (every certificate it signed would stop verifying); restore the file, or remove both to make a new CA");
        }

        try
        {
            return PemFiles.ReadAuthority(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new IOException($"the CA {certificatePath} (key {keyPath}) cannot be used: {e.Message}; a CA is never replaced automatically", e);
        }
    }

    /// <summary>The leaf of these files, issued again by <paramref name="authority"/> when it cannot be reused.</summary>
    private static X509Certificate2 Leaf(
        string certificatePath, string keyPath, LeafSpec spec, CertificateAuthority authority, Func<X509Certificate2, bool> namesMatch, TimeProvider time, List<string> changes)
    {
        var reason = "missing";
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            X509Certificate2? existing = null;
            try
            {
                existing = PemFiles.ReadCertificateWithKey(certificatePath, keyPath);
                reason = Problem(existing, authority, namesMatch, time);
                if (reason is null)
                {
                    return existing;
                }
            }
            catch (CryptographicException e)
            {
                reason = "unreadable: " + e.Message;
            }

            existing?.Dispose();
        }

        using (var issued = authority.Issue(spec, time))
        {
            PemFiles.WriteCertificateAndKey(certificatePath, keyPath, issued);
        }

        changes.Add($"issued {certificatePath} ({reason})");
        return PemFiles.ReadCertificateWithKey(certificatePath, keyPath);
    }

    /// <summary>Why <paramref name="certificate"/> is issued again, or null to keep it.</summary>
    private static string? Problem(X509Certificate2 certificate, CertificateAuthority authority, Func<X509Certificate2, bool> namesMatch, TimeProvider time)
    {
        if (!SignedBy(certificate, authority))
        {
            return "not signed by the current CA";
        }

        if (CertificateRenewal.IsDue(certificate, time, CertificateRenewal.DefaultWindow))
        {
            return string.Create(CultureInfo.InvariantCulture, $"due for renewal: valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm}Z");
        }

        return namesMatch(certificate) ? null : "the addresses and names it must carry changed";
    }

    private static bool SignedBy(X509Certificate2 certificate, CertificateAuthority authority)
    {
        // Expiry is judged by the renewal window, not here.
        return CertificateChains.Verify(certificate, [authority.Certificate], ignoreTime: true);
    }

    /// <summary>The directory, 0700 (made so, or set so when an earlier run or the operator left it wider).</summary>
    private static void OwnerOnlyDirectory(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly);
    }
}
