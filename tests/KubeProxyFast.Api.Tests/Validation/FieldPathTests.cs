using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

public sealed class FieldPathTests
{
    [Fact]
    public void ToString_ChildIndexKey_PrintsAsKubernetes()
    {
        var path = FieldPath.Root("spec").Child("ports").Index(0).Child("port");
        var key = FieldPath.Root("metadata").Child("labels").Key("app");

        Assert.Equal("spec.ports[0].port", path.ToString());
        Assert.Equal("metadata.labels[app]", key.ToString());
    }

    [Theory]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("tab\t", "\"tab\\t\"")]
    [InlineData(null, "null")]
    [InlineData(true, "true")]
    [InlineData(70000, "70000")]
    [InlineData(-1L, "-1")]
    public void FormatValue_QuotesStringsOnly(object? value, string expected)
    {
        Assert.Equal(expected, FieldError.FormatValue(value));
    }
}
