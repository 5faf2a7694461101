using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

/// <summary>Secret validation, with Kubernetes' messages (ValidateSecret, ValidateSecretUpdate).</summary>
public sealed class SecretValidationTests
{
    private static Secret Secret(string type, Dictionary<string, byte[]>? data = null, Dictionary<string, string>? annotations = null, bool? immutable = null) =>
        new() { Metadata = new() { Name = "s", Namespace = "default", Annotations = annotations }, Type = type, Data = data, Immutable = immutable };

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Messages(Secret secret) => ObjectValidation.Validate(secret).Select(e => e.ToString()).ToArray();

    [Fact]
    public void Validate_OpaqueWithAnyKeys_IsValid() =>
        Assert.Empty(Messages(Secret(SecretTypes.Opaque, new() { ["password"] = B("p"), ["a.b"] = [] })));

    [Fact]
    public void Validate_BadKey_NamesTheKeyNotTheValue()
    {
        var messages = Messages(Secret(SecretTypes.Opaque, new() { ["a/b"] = B("hunter2") }));

        Assert.Equal("data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')", Assert.Single(messages));
        Assert.DoesNotContain("hunter2", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverOneMiB_IsTooLongOnData()
    {
        Assert.Empty(Messages(Secret(SecretTypes.Opaque, new() { ["a"] = new byte[1048576] })));
        Assert.Equal(["data: Too long: may not be more than 1048576 bytes"], Messages(Secret(SecretTypes.Opaque, new() { ["a"] = new byte[1048576], ["b"] = [1] })));
    }

    [Fact]
    public void Validate_Tls_RequiresCertificateAndKey()
    {
        Assert.Equal(["data[tls.crt]: Required value", "data[tls.key]: Required value"], Messages(Secret(SecretTypes.Tls)));
        Assert.Equal(["data[tls.key]: Required value"], Messages(Secret(SecretTypes.Tls, new() { ["tls.crt"] = B("c") })));
        // Present is enough, as Kubernetes: the contents are not parsed.
        Assert.Empty(Messages(Secret(SecretTypes.Tls, new() { ["tls.crt"] = [], ["tls.key"] = [] })));
    }

    [Fact]
    public void Validate_DockerConfigJson_RequiresItsKey() =>
        Assert.Equal(["data[.dockerconfigjson]: Required value"], Messages(Secret(SecretTypes.DockerConfigJson)));

    [Theory]
    [InlineData("{\"auths\":{}}", null)]
    [InlineData("null", null)]
    [InlineData("{\"auths\":", "unexpected end of JSON input")]
    [InlineData("", "unexpected end of JSON input")]
    [InlineData("xyz", "invalid character 'x' looking for beginning of value")]
    [InlineData("[]", "json: cannot unmarshal array into Go value of type map[string]interface {}")]
    [InlineData("\"s\"", "json: cannot unmarshal string into Go value of type map[string]interface {}")]
    public void Validate_DockerConfigJson_MustBeAJsonObject_ContentsRedacted(string json, string? problem)
    {
        var messages = Messages(Secret(SecretTypes.DockerConfigJson, new() { [".dockerconfigjson"] = B(json) }));

        if (problem is null)
        {
            Assert.Empty(messages);
        }
        else
        {
            Assert.Equal([$"data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": {problem}"], messages);
        }
    }

    [Fact]
    public void Validate_Dockercfg_RequiresValidJson()
    {
        Assert.Equal(["data[.dockercfg]: Required value"], Messages(Secret(SecretTypes.Dockercfg)));
        Assert.Equal(["data[.dockercfg]: Invalid value: \"<secret contents redacted>\": unexpected end of JSON input"],
            Messages(Secret(SecretTypes.Dockercfg, new() { [".dockercfg"] = B("{") })));
    }

    [Fact]
    public void Validate_BasicAuth_NeedsUsernameOrPassword()
    {
        Assert.Equal(["data[username]: Required value", "data[password]: Required value"], Messages(Secret(SecretTypes.BasicAuth)));
        Assert.Empty(Messages(Secret(SecretTypes.BasicAuth, new() { ["password"] = [] })));
    }

    [Fact]
    public void Validate_SshAuth_NeedsANonEmptyPrivateKey()
    {
        Assert.Equal(["data[ssh-privatekey]: Required value"], Messages(Secret(SecretTypes.SshAuth, new() { ["ssh-privatekey"] = [] })));
        Assert.Empty(Messages(Secret(SecretTypes.SshAuth, new() { ["ssh-privatekey"] = B("k") })));
    }

    [Fact]
    public void Validate_ServiceAccountToken_NeedsTheServiceAccountName()
    {
        Assert.Equal(["metadata.annotations[kubernetes.io/service-account.name]: Required value"], Messages(Secret(SecretTypes.ServiceAccountToken)));
        Assert.Empty(Messages(Secret(SecretTypes.ServiceAccountToken, annotations: new() { ["kubernetes.io/service-account.name"] = "default" })));
    }

    [Fact]
    public void Validate_BootstrapTokenAndUnknownTypes_HaveNoRulesOfTheirOwn()
    {
        Assert.Empty(Messages(Secret(SecretTypes.BootstrapToken, new() { ["token-id"] = B("abcdef"), ["token-secret"] = B("0123456789abcdef") })));
        Assert.Empty(Messages(Secret("example.com/mine")));
    }

    [Fact]
    public void ValidateUpdate_TypeChanged_IsImmutable()
    {
        var errors = SecretValidation.ValidateUpdate(Secret(SecretTypes.Opaque), Secret(SecretTypes.BasicAuth, new() { ["username"] = [] }));

        Assert.Equal(["type: Invalid value: \"Opaque\": field is immutable"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ValidateUpdate_ImmutableSecret_KeepsDataAndImmutable()
    {
        var old = Secret(SecretTypes.Opaque, new() { ["a"] = B("1") }, immutable: true);

        Assert.Empty(SecretValidation.ValidateUpdate(Secret(SecretTypes.Opaque, new() { ["a"] = B("1") }, immutable: true), old));
        Assert.Equal(
            ["immutable: Forbidden: field is immutable when `immutable` is set", "data: Forbidden: field is immutable when `immutable` is set"],
            SecretValidation.ValidateUpdate(Secret(SecretTypes.Opaque, new() { ["a"] = B("2") }, immutable: false), old).Select(e => e.ToString()));
    }
}
