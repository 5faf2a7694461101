namespace KubeProxyFast.Pki.Tests;

public sealed class CaHashTests
{
    [Fact]
    public void Of_KnownBytes_IsLowercaseSha256Hex()
    {
        // sha256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", CaHash.Of("abc"u8));
    }

    [Fact]
    public void Matches_UpperCaseExpectedAndOtherBytes_AsExpected()
    {
        var bundle = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8.ToArray();
        var hash = CaHash.Of(bundle);

        Assert.True(CaHash.Matches(bundle, hash.ToUpperInvariant()));
        Assert.False(CaHash.Matches([.. bundle, (byte)'\n'], hash));
        Assert.False(CaHash.Matches(bundle, hash[..10]));
    }

    [Fact]
    public void IsDue_WithinWindowOrAfter_IsTrue()
    {
        using var ca = CertificateAuthority.Create("ca", TimeProvider.System);
        using var leaf = ca.Issue(new LeafSpec { CommonName = "x", Lifetime = TimeSpan.FromDays(100) }, TimeProvider.System);

        Assert.False(CertificateRenewal.IsDue(leaf, TimeProvider.System, CertificateRenewal.DefaultWindow));
        Assert.True(CertificateRenewal.IsDue(leaf, TimeProvider.System, TimeSpan.FromDays(101)));
        var deadline = CertificateRenewal.RotationDeadline(leaf);
        Assert.InRange(deadline - DateTimeOffset.UtcNow, TimeSpan.FromDays(79), TimeSpan.FromDays(81));
    }
}
