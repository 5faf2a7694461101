using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeProxyFast.Pki;

/// <summary>
/// Certificates and keys as PEM files, as Kubernetes and k3s keep them: certificates as
/// <c>CERTIFICATE</c> blocks, keys as PKCS#8 <c>PRIVATE KEY</c>. Every file is written readable and
/// writable by its owner only (0600) and atomically (a temporary file renamed over it), so a crash
/// never leaves half a key and no other user ever reads one.
/// </summary>
public static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The PEM text of <paramref name="certificates"/>, one block each.</summary>
    public static string Encode(params IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var text = new StringBuilder();
        foreach (var certificate in certificates)
        {
            text.Append(PemEncoding.WriteString("CERTIFICATE", certificate.RawData)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The PKCS#8 PEM text of a certificate's ECDSA private key.</summary>
    /// <exception cref="ArgumentException">The certificate has no ECDSA private key.</exception>
    public static string EncodeKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException($"certificate {certificate.Subject} has no ECDSA private key", nameof(certificate));
        return EncodeKey(key);
    }

    /// <summary>The PKCS#8 PEM text of <paramref name="key"/>.</summary>
    public static string EncodeKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, mode 0600, creating the directory (0700) when missing.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var temporary = Path.Combine(directory, "." + Path.GetFileName(full) + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        {
            if (!OperatingSystem.IsWindows())
            {
                // A file left by an earlier run keeps its mode on FileMode.Create: set it before any byte is written.
                File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
            }

            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Writes a certificate (with <paramref name="chain"/> after it) and its private key.</summary>
    public static void WriteCertificateAndKey(string certificatePath, string keyPath, X509Certificate2 certificate, params IEnumerable<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // The key first: a certificate on disk always has its key beside it.
        WriteOwnerOnly(keyPath, EncodeKey(certificate));
        WriteOwnerOnly(certificatePath, Encode([certificate, .. chain]));
    }

    /// <summary>The first certificate of a PEM file with the private key of another (or the same) PEM file attached.</summary>
    /// <exception cref="CryptographicException">A file holds no certificate or key, or the key does not match.</exception>
    public static X509Certificate2 ReadCertificateWithKey(string certificatePath, string keyPath)
    {
        using var fromPem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Re-imported as PKCS#12 so that the key is usable by SslStream on every platform (Windows
        // refuses ephemeral keys for TLS; on Linux it is a copy and costs nothing).
        return X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Every certificate of a PEM file (a CA bundle, or a leaf followed by its chain).</summary>
    /// <exception cref="CryptographicException">The file holds no certificate.</exception>
    public static X509Certificate2Collection ReadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection.Count > 0 ? collection : throw new CryptographicException($"{path} holds no PEM certificate");
    }

    /// <summary>Every certificate of PEM text.</summary>
    /// <exception cref="CryptographicException">The text holds no certificate.</exception>
    public static X509Certificate2Collection ParseCertificates(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection.Count > 0 ? collection : throw new CryptographicException("the text holds no PEM certificate");
    }

    /// <summary>A CA from its certificate file and its key file.</summary>
    /// <exception cref="CryptographicException">A file is not PEM of the expected kind.</exception>
    /// <exception cref="ArgumentException">The certificate is not a CA, or the key does not match it.</exception>
    public static CertificateAuthority ReadAuthority(string certificatePath, string keyPath)
    {
        var certificate = ReadCertificates(certificatePath)[0];
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
            return new CertificateAuthority(certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Writes a CA's certificate and key.</summary>
    public static void WriteAuthority(string certificatePath, string keyPath, CertificateAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        WriteOwnerOnly(keyPath, EncodeKey(authority.Key));
        WriteOwnerOnly(certificatePath, Encode(authority.Certificate));
    }
}
