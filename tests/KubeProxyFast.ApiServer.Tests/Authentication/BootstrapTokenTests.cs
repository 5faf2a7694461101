using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Tests.Authentication;

public sealed class BootstrapTokenTests
{
    [Fact]
    public void Generate_Twice_GivesDistinctTokensOfKubernetesShape()
    {
        var first = BootstrapToken.Generate();
        var second = BootstrapToken.Generate();

        Assert.Matches("^[a-z0-9]{6}\\.[a-z0-9]{16}$", first.Value);
        Assert.NotEqual(first.Value, second.Value);
        Assert.True(BootstrapToken.TryParse(first.Value, out var parsed));
        Assert.Equal(first, parsed);
    }

    [Theory]
    [InlineData("abcdef.0123456789abcdef", true)]
    [InlineData("ABCDEF.0123456789abcdef", false)]
    [InlineData("abcde.0123456789abcdefg", false)]
    [InlineData("abcdef-0123456789abcdef", false)]
    [InlineData("abcdef.0123456789abcde", false)]
    [InlineData("abcdef.0123456789abcdef0", false)]
    [InlineData("abcdef.0123456789abcde_", false)]
    [InlineData("", false)]
    public void TryParse_Text_AcceptsOnlyTheBootstrapPattern(string text, bool valid)
    {
        Assert.Equal(valid, BootstrapToken.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithoutEchoingTheText()
    {
        var error = Assert.Throws<FormatException>(() => BootstrapToken.Parse("abcdef.SECRETSECRETSECRE"));

        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_Token_DoesNotShowTheSecret()
    {
        var token = BootstrapToken.Parse("abcdef.0123456789abcdef");

        Assert.DoesNotContain("0123456789abcdef", token.ToString(), StringComparison.Ordinal);
        Assert.Contains("abcdef", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AllOptions_WritesKubernetesSecretLayout()
    {
        var token = BootstrapToken.Parse("abcdef.0123456789abcdef");

        var secret = BootstrapTokenSecret.Build(token, new BootstrapTokenOptions
        {
            Expiration = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            Description = "node join",
            Signing = true,
            ExtraGroups = ["system:bootstrappers:kpf:default-node-token", "system:bootstrappers:worker"],
        });

        Assert.Equal("bootstrap-token-abcdef", secret.Metadata.Name);
        Assert.Equal("kube-system", secret.Metadata.Namespace);
        Assert.Equal(SecretTypes.BootstrapToken, secret.Type);
        var data = secret.Data!.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value));
        Assert.Equal(new Dictionary<string, string>
        {
            ["token-id"] = "abcdef",
            ["token-secret"] = "0123456789abcdef",
            ["expiration"] = "2030-01-02T01:04:05Z",
            ["description"] = "node join",
            ["usage-bootstrap-authentication"] = "true",
            ["usage-bootstrap-signing"] = "true",
            ["auth-extra-groups"] = "system:bootstrappers:kpf:default-node-token,system:bootstrappers:worker",
        }, data);
    }

    [Fact]
    public void Build_Defaults_AuthenticationOnlyNoExpiry()
    {
        var secret = BootstrapTokenSecret.Build(BootstrapToken.Parse("abcdef.0123456789abcdef"), new BootstrapTokenOptions());

        Assert.Equal(["token-id", "token-secret", "usage-bootstrap-authentication"], secret.Data!.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("system:bootstrappers:a", true)]
    [InlineData("system:bootstrappers:kpf:default-node-token", true)]
    [InlineData("system:bootstrappers:", false)]
    [InlineData("system:bootstrappers:trailing-", false)]
    [InlineData("system:bootstrappers:Upper", false)]
    [InlineData("system:nodes", false)]
    [InlineData("system:masters", false)]
    public void IsValidExtraGroup_Group_FollowsKubernetesPattern(string group, bool valid)
    {
        Assert.Equal(valid, BootstrapTokenSecret.IsValidExtraGroup(group));
    }

    [Fact]
    public void Build_GroupOutsideBootstrappers_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BootstrapTokenSecret.Build(
            BootstrapToken.Generate(), new BootstrapTokenOptions { ExtraGroups = ["system:masters"] }));
    }
}
