using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Tests.Printing;

public sealed class TableAcceptTests
{
    private const string Kubectl =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    [Theory]
    [InlineData(Kubectl, "meta.k8s.io/v1")]
    [InlineData("application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", "meta.k8s.io/v1beta1")]
    [InlineData("application/json; g=meta.k8s.io; v=v1; as=Table", "meta.k8s.io/v1")]
    [InlineData("application/yaml;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io", "meta.k8s.io/v1")]
    [InlineData("application/json;as=Table;v=v2;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io", "meta.k8s.io/v1")]
    public void RequestedVersion_TableAccept_ReturnsGroupVersion(string accept, string expected)
    {
        Assert.Equal(expected, TableAccept.RequestedVersion(accept));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("application/json, */*")]
    [InlineData("application/vnd.kubernetes.protobuf,application/json")]
    [InlineData("application/json,application/json;as=Table;v=v1;g=meta.k8s.io")]
    [InlineData("application/json;as=Table;v=v1;g=other.io")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")]
    public void RequestedVersion_NoTablePreferred_ReturnsNull(string? accept)
    {
        Assert.Null(TableAccept.RequestedVersion(accept));
    }

    [Theory]
    [InlineData("meta.k8s.io/v1", "application/json;as=Table;v=v1;g=meta.k8s.io")]
    [InlineData("meta.k8s.io/v1beta1", "application/json;as=Table;v=v1beta1;g=meta.k8s.io")]
    public void ContentType_Version_NamesTable(string groupVersion, string expected)
    {
        Assert.Equal(expected, TableAccept.ContentType(groupVersion));
    }

    [Theory]
    [InlineData(null, "Metadata")]
    [InlineData("", "Metadata")]
    [InlineData("Metadata", "Metadata")]
    [InlineData("None", "None")]
    [InlineData("Object", "Object")]
    public void IncludeObjectTryParse_KnownValue_Parses(string? value, string expected)
    {
        Assert.True(IncludeObjects.TryParse(value, out var include));
        Assert.Equal(expected, include.ToString());
    }

    [Theory]
    [InlineData("object")]
    [InlineData("All")]
    public void IncludeObjectTryParse_UnknownValue_Fails(string value)
    {
        Assert.False(IncludeObjects.TryParse(value, out _));
    }
}
