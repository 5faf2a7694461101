using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization.Yaml;

/// <summary>Malformed YAML on which YamlDotNet 16.3 throws something other than a YamlException, or loses a value.</summary>
public sealed class YamlTreeReaderTests
{
    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: web\nspec:\n  containers: []\n", "the flow mapping { opened at line 3, column 11 is not closed")]
    [InlineData("a: [b\nc: d\n", "the flow sequence [ opened at line 1, column 4 is not closed")]
    [InlineData("a: \"\\udfff\\ud800\"\n", "malformed YAML")]
    [InlineData("ports:\n  -\n    : \"http\"\n    port: 8080\n", "malformed YAML at line 3, column 5: this mapping has a key without a value")]
    public void ToJson_TextYamlDotNetMishandles_IsADecodeErrorSayingWhere(string yaml, string message)
    {
        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
