namespace KubeProxyFast.Pki.Tests;

public sealed class PemFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("kpf-pem-").FullName, "tls");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [Fact]
    public void WriteAuthority_ThenRead_SameCaUsableForSigning()
    {
        using var ca = CertificateAuthority.Create("kpf-server-ca", TimeProvider.System);
        PemFiles.WriteAuthority(Path.Combine(_directory, "ca.crt"), Path.Combine(_directory, "ca.key"), ca);

        using var read = PemFiles.ReadAuthority(Path.Combine(_directory, "ca.crt"), Path.Combine(_directory, "ca.key"));
        using var leaf = read.Issue(new LeafSpec { CommonName = "admin", Organizations = ["system:masters"] }, TimeProvider.System);

        Assert.Equal(ca.Certificate.Thumbprint, read.Certificate.Thumbprint);
        Assert.Equal(ca.Certificate.Subject, leaf.Issuer);
    }

    [Fact]
    public void WriteCertificateAndKey_FilesAndDirectory_AreOwnerOnly()
    {
        using var ca = CertificateAuthority.Create("kpf-client-ca", TimeProvider.System);
        using var leaf = ca.Issue(new LeafSpec { CommonName = "admin" }, TimeProvider.System);
        var certificate = Path.Combine(_directory, "admin.crt");
        var key = Path.Combine(_directory, "admin.key");

        PemFiles.WriteCertificateAndKey(certificate, key, leaf, ca.Certificate);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.Equal(2, PemFiles.ReadCertificates(certificate).Count);
        using var read = PemFiles.ReadCertificateWithKey(certificate, key);
        Assert.True(read.HasPrivateKey);
        Assert.Equal(leaf.Thumbprint, read.Thumbprint);
        Assert.Empty(Directory.GetFiles(_directory, ".*.tmp"));
    }

    [Fact]
    public void WriteOwnerOnly_ExistingWorldReadableFile_BecomesOwnerOnly()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "token");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.GroupRead);

        PemFiles.WriteOwnerOnly(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ReadCertificates_FileWithoutPem_ThrowsNamingIt()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "empty.crt");
        File.WriteAllText(path, "not a certificate");

        var error = Assert.Throws<System.Security.Cryptography.CryptographicException>(() => PemFiles.ReadCertificates(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
