using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Pki;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// The kubelet's serving certificate, chosen as Kubernetes' kubelet chooses it:
/// <c>--tls-cert-file</c>/<c>--tls-private-key-file</c> when given; else the one issued through a
/// CSR (signer <c>kubernetes.io/kubelet-serving</c>) at <c>&lt;data-dir&gt;/pki/kubelet-server.crt</c>
/// + <c>.key</c>; else a self-signed one for the node's name and addresses, made once and kept at
/// <c>&lt;data-dir&gt;/pki/kubelet.crt</c> + <c>.key</c> (certificate then its throwaway CA, as
/// the kubelet's <c>GenerateSelfSignedCertKey</c>). The files are looked at again at most once a
/// second, so a rotated certificate serves the next handshake; a file caught half-written keeps
/// the last good certificate.
/// </summary>
internal sealed class ServingCertificate : IDisposable
{
    /// <summary>The CSR-issued certificate's file name under <c>pki/</c> (the agreed path of the join).</summary>
    public const string IssuedCertificateName = "kubelet-server.crt";

    /// <summary>Its key's file name.</summary>
    public const string IssuedKeyName = "kubelet-server.key";

    /// <summary>The self-signed certificate's file name under <c>pki/</c> (the kubelet's own).</summary>
    public const string SelfSignedCertificateName = "kubelet.crt";

    /// <summary>Its key's file name.</summary>
    public const string SelfSignedKeyName = "kubelet.key";

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string? _explicitCertificate;
    private readonly string? _explicitKey;
    private readonly string _pki;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private SslStreamCertificateContext? _context;
    private X509Certificate2? _certificate;
    private (string Path, DateTime Certificate, DateTime Key) _stamp;
    private long _checkedAt = long.MinValue;

    private ServingCertificate(string? certificateFile, string? keyFile, string pki, ILogger logger)
    {
        _explicitCertificate = certificateFile;
        _explicitKey = keyFile;
        _pki = pki;
        _logger = logger;
    }

    /// <summary>
    /// The serving certificate of a kubelet whose PKI directory is <paramref name="pki"/>; makes the
    /// self-signed one for <paramref name="nodeName"/> and <paramref name="addresses"/> when neither
    /// given nor issued files exist.
    /// </summary>
    /// <exception cref="IOException">A certificate file cannot be read or written.</exception>
    public static ServingCertificate Load(
        string? certificateFile, string? keyFile, string pki, string nodeName, IReadOnlyList<IPAddress> addresses, TimeProvider time, ILogger logger)
    {
        if ((certificateFile is null) != (keyFile is null))
        {
            throw new IOException("--tls-cert-file and --tls-private-key-file go together: give both or neither");
        }

        var serving = new ServingCertificate(certificateFile, keyFile, pki, logger);
        if (certificateFile is null && !File.Exists(Path.Combine(pki, IssuedCertificateName)))
        {
            SelfSigned.Ensure(Path.Combine(pki, SelfSignedCertificateName), Path.Combine(pki, SelfSignedKeyName), nodeName, addresses, time);
        }

        if (serving.Context() is null)
        {
            throw new IOException($"no serving certificate could be read from {serving.Source().Certificate}");
        }

        return serving;
    }

    /// <summary>The certificate served now (the leaf).</summary>
    public X509Certificate2 Certificate
    {
        get
        {
            Context();
            lock (_lock)
            {
                return _certificate!;
            }
        }
    }

    /// <summary>The certificate and its chain for the next handshake.</summary>
    public SslStreamCertificateContext? Context()
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (_context is not null && now - _checkedAt < (long)CheckInterval.TotalMilliseconds)
            {
                return _context;
            }

            _checkedAt = now;
            var (certificatePath, keyPath) = Source();
            try
            {
                var stamp = (certificatePath, File.GetLastWriteTimeUtc(certificatePath), File.GetLastWriteTimeUtc(keyPath));
                if (_context is not null && stamp == _stamp)
                {
                    return _context;
                }

                var leaf = PemFiles.ReadCertificateWithKey(certificatePath, keyPath);
                var chain = PemFiles.ReadCertificates(certificatePath);
                // The file's first certificate is the leaf; the rest is sent after it.
                chain.RemoveAt(0);
                _context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
                _certificate = leaf;
                _stamp = stamp;
                KubeletServerLog.ServingCertificateLoaded(_logger, leaf.Subject, leaf.NotAfter.ToUniversalTime(), certificatePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                KubeletServerLog.ServingCertificateUnreadable(_logger, certificatePath, e.Message);
            }

            return _context;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _certificate?.Dispose();
        }
    }

    /// <summary>The files to serve from now: the given ones, the issued ones once they exist, else the self-signed ones.</summary>
    private (string Certificate, string Key) Source()
    {
        if (_explicitCertificate is not null)
        {
            return (_explicitCertificate, _explicitKey!);
        }

        var issued = Path.Combine(_pki, IssuedCertificateName);
        var issuedKey = Path.Combine(_pki, IssuedKeyName);
        return File.Exists(issued) && File.Exists(issuedKey)
            ? (issued, issuedKey)
            : (Path.Combine(_pki, SelfSignedCertificateName), Path.Combine(_pki, SelfSignedKeyName));
    }

    /// <summary>The kubelet's self-signed certificate, as <c>GenerateSelfSignedCertKey</c> makes it.</summary>
    private static class SelfSigned
    {
        /// <summary>Makes the files unless both exist already (a restart serves the same certificate).</summary>
        public static void Ensure(string certificatePath, string keyPath, string nodeName, IReadOnlyList<IPAddress> addresses, TimeProvider time)
        {
            if (File.Exists(certificatePath) && File.Exists(keyPath))
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(certificatePath)!);
            // A CA used once and forgotten, named as the kubelet names it (<host>-ca@<unix seconds>).
            using var authority = CertificateAuthority.Create($"{nodeName}-ca@{time.GetUtcNow().ToUnixTimeSeconds()}", time, TimeSpan.FromDays(365));
            using var leaf = authority.Issue(new LeafSpec
            {
                CommonName = $"{nodeName}@{time.GetUtcNow().ToUnixTimeSeconds()}",
                DnsNames = [nodeName],
                IpAddresses = addresses,
                Usage = CertificateUsage.Server,
            }, time);
            PemFiles.WriteCertificateAndKey(certificatePath, keyPath, leaf, authority.Certificate);
        }
    }
}
