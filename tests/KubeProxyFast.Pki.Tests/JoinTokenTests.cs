using System.Text;

namespace KubeProxyFast.Pki.Tests;

public sealed class JoinTokenTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Secret = "q9w8e7r6t5y4u3i2";

    [Fact]
    public void Parse_SecureToken_ReadsHashIdAndSecret()
    {
        var token = JoinToken.Parse($"  K10{Hash.ToUpperInvariant()}::abcdef.{Secret}\n");

        Assert.Equal(Hash, token.CaHash);
        Assert.Equal("abcdef", token.TokenId);
        Assert.Equal(Secret, token.TokenSecret);
        Assert.Equal("abcdef." + Secret, token.BearerToken);
        Assert.Equal($"K10{Hash}::abcdef.{Secret}", token.Format());
    }

    [Fact]
    public void Create_CaBundle_PinsItsHashAndRoundTrips()
    {
        var pem = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var token = JoinToken.Create(pem, "abc123", Secret);

        Assert.Equal(CaHash.Of(pem), token.CaHash);
        Assert.Equal(token, JoinToken.Parse(token.Format()));
    }

    [Fact]
    public void ToString_Token_NeverShowsTheSecret()
    {
        var token = JoinToken.Parse($"K10{Hash}::abcdef.{Secret}");

        Assert.DoesNotContain(Secret, token.ToString(), StringComparison.Ordinal);
        Assert.Contains("abcdef", token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("abcdef.q9w8e7r6t5y4u3i2", "must start with K10")]
    [InlineData("K10" + Hash + "abcdef.q9w8e7r6t5y4u3i2", "has no \"::\"")]
    [InlineData("K10abc::abcdef.q9w8e7r6t5y4u3i2", "must be 64 hex digits")]
    [InlineData("K10" + "z123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "::abcdef.q9w8e7r6t5y4u3i2", "not all hex digits")]
    [InlineData("K10" + Hash + "::server:q9w8e7r6t5y4u3i2", "not a user name and password")]
    [InlineData("K10" + Hash + "::q9w8e7r6t5y4u3i2", "must be a bootstrap token")]
    [InlineData("K10" + Hash + "::ABCDEF.0123456789abcdef", "id must be 6 characters of [a-z0-9] (it is \"ABCDEF\")")]
    [InlineData("K10" + Hash + "::abcdef.q9w8e7r6t5y4u3iZ", "must be 16 characters of [a-z0-9] (it has 16, some of them not in [a-z0-9])")]
    [InlineData("K10" + Hash + "::abcdef.q9w8e7r6t5", "must be 16 characters of [a-z0-9] (it has 10)")]
    public void Parse_Malformed_ThrowsNamingThePartWithoutTheSecret(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => JoinToken.Parse(text));

        Assert.StartsWith("join token: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("q9w8e7r6t5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_TokenFileWithNewline_ParsesIt()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"K10{Hash}::abcdef.{Secret}\n");

            Assert.Equal("abcdef", JoinToken.ReadFile(path).TokenId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadFile_BadToken_NamesTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "K10nothex::x");

            var error = Assert.Throws<FormatException>(() => JoinToken.ReadFile(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
