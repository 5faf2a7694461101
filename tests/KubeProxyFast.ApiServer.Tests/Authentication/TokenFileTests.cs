using KubeProxyFast.ApiServer.Authentication;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.ApiServer.Tests.Authentication;

public sealed class TokenFileTests
{
    [Fact]
    public void Parse_KubernetesExample_ReadsUserUidAndQuotedGroups()
    {
        var entries = TokenFile.Parse("/etc/tokens.csv", "t1,alice,uid-1,\"system:masters,dev\"\r\n\nt2,bob,,\nt3,carol,uid-3\n");

        Assert.Equal(3, entries.Count);
        Assert.Equal(("t1", "alice", "uid-1"), (entries[0].Token, entries[0].User.Name, entries[0].User.Uid));
        Assert.Equal(["system:masters", "dev"], entries[0].User.Groups);
        Assert.Null(entries[1].User.Uid);
        Assert.Empty(entries[1].User.Groups);
        Assert.Equal(4, entries[2].Line);
    }

    [Fact]
    public void Parse_QuotedFieldWithDoubledQuote_KeepsOneQuote()
    {
        var entries = TokenFile.Parse("f", "\"a\"\"b\",user,uid\n");

        Assert.Equal("a\"b", entries[0].Token);
    }

    [Theory]
    [InlineData("t1,alice\n", 1, "at least 3 columns")]
    [InlineData("t1,alice,1\n,bob,2\n", 2, "the token is empty")]
    [InlineData("t1,,1\n", 1, "the user name is empty")]
    [InlineData("\n\nt1,alice,1,\"system:masters\n", 3, "not closed")]
    [InlineData("t\"1,alice,1\n", 1, "bare \"")]
    [InlineData("\"t1\"x,alice,1\n", 1, "after a quoted field")]
    public void Parse_Malformed_ErrorNamesFileAndLine(string text, int line, string reason)
    {
        var error = Assert.Throws<TokenFileException>(() => TokenFile.Parse("/etc/kpf/tokens.csv", text));

        Assert.Equal(line, error.Line);
        Assert.StartsWith($"token file '/etc/kpf/tokens.csv' line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_DuplicateToken_LastRecordWinsAsKubernetes()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "same,first,1\nsame,second,2\nother,third,3\n");

            var authenticator = TokenFileAuthenticator.Load(path, NullLogger.Instance);
            var result = await authenticator.AuthenticateTokenAsync("same", CancellationToken.None);

            Assert.Equal(2, authenticator.Count);
            Assert.Equal("second", result.User?.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AuthenticateToken_UnknownOrPrefix_IsNoneSoOtherKindsMayTry()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "secret-token,alice,1\n");
            var authenticator = TokenFileAuthenticator.Load(path, NullLogger.Instance);

            var unknown = await authenticator.AuthenticateTokenAsync("secret-toke", CancellationToken.None);
            var known = await authenticator.AuthenticateTokenAsync("secret-token", CancellationToken.None);

            Assert.Equal(AuthenticationResult.None, unknown);
            Assert.Equal("alice", known.User?.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_IsAnIOExceptionNamingIt()
    {
        var error = Assert.ThrowsAny<IOException>(() => TokenFileAuthenticator.Load("/nonexistent/kpf-tokens.csv", NullLogger.Instance));

        Assert.Contains("/nonexistent/kpf-tokens.csv", error.Message, StringComparison.Ordinal);
    }
}
