using KubeProxyFast.Api.Core;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Tests.Config;

public sealed class ConfigFileReaderTests
{
    private const string ServiceYaml = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          clusterIP: 198.18.0.10
          ports:
          - name: http
            port: 80
        """;

    private const string EndpointsYaml = """
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: web
        subsets:
        - addresses:
          - ip: 198.18.1.1
          ports:
          - name: http
            port: 8080
        """;

    [Fact]
    public void TryRead_MultiDocumentYaml_ReadsEveryDocumentWithItsOrigin()
    {
        var ok = ConfigFileReader.TryRead(ServiceYaml + "\n---\n" + EndpointsYaml, out var objects, out var error);

        Assert.True(ok, error);
        Assert.Collection(objects,
            o => Assert.Equal(("shop", "document 1"), (Assert.IsType<Service>(o.ApiObject).Metadata.Namespace, o.Origin)),
            o =>
            {
                Assert.IsType<Endpoints>(o.ApiObject);
                Assert.Equal("document 2", o.Origin);
            });
    }

    [Fact]
    public void TryRead_ObjectWithoutNamespace_GoesToDefault()
    {
        ConfigFileReader.TryRead(EndpointsYaml, out var objects, out _);

        Assert.Equal("default", Assert.Single(objects).ApiObject.Metadata.Namespace);
    }

    [Fact]
    public void TryRead_JsonIndentedWithTabs_IsRead()
    {
        var json = "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Service\",\n\t\"metadata\": {\"name\": \"web\"},\n" +
                   "\t\"spec\": {\"clusterIP\": \"198.18.0.10\", \"ports\": [{\"port\": 80}]}\n}\n";

        var ok = ConfigFileReader.TryRead(json, out var objects, out var error);

        Assert.True(ok, error);
        Assert.Equal(80, Assert.IsType<Service>(Assert.Single(objects).ApiObject).Spec!.Ports![0].Port);
    }

    [Fact]
    public void TryRead_List_ReadsItemsWithTheirIndex()
    {
        var list = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: web}
              spec: {clusterIP: 198.18.0.10, ports: [{port: 80}]}
            - apiVersion: v1
              kind: Endpoints
              metadata: {name: web}
            """;

        var ok = ConfigFileReader.TryRead(list, out var objects, out var error);

        Assert.True(ok, error);
        Assert.Equal(["document 1, items[0]", "document 1, items[1]"], objects.Select(o => o.Origin));
        Assert.IsType<Endpoints>(objects[1].ApiObject);
    }

    [Fact]
    public void TryRead_EmptyList_ReadsNoObjects()
    {
        var ok = ConfigFileReader.TryRead("apiVersion: v1\nkind: List\nitems: []\n", out var objects, out var error);

        Assert.True(ok, error);
        Assert.Empty(objects);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n# only a comment\n")]
    [InlineData("---\n---\n")]
    public void TryRead_NoDocuments_IsRejectedSoAHalfWrittenFileRemovesNothing(string text)
    {
        var ok = ConfigFileReader.TryRead(text, out _, out var error);

        Assert.False(ok);
        Assert.Contains("no documents", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_FieldOfWrongType_NamesDocumentAndField()
    {
        var bad = ServiceYaml.Replace("port: 80", "port: eighty", StringComparison.Ordinal);

        var ok = ConfigFileReader.TryRead(EndpointsYaml + "\n---\n" + bad, out _, out var error);

        Assert.False(ok);
        Assert.StartsWith("document 2: spec.ports[0].port: invalid value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_BadItemInList_NamesDocumentItemAndField()
    {
        var list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n  spec: {ports: {}}\n";

        var ok = ConfigFileReader.TryRead(list, out _, out var error);

        Assert.False(ok);
        Assert.StartsWith("document 1, items[0]: spec.ports", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_MalformedYaml_NamesTheLine()
    {
        var ok = ConfigFileReader.TryRead("apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n", out _, out var error);

        Assert.False(ok);
        Assert.Contains("malformed YAML at line", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_MalformedJson_NamesLineAndColumn()
    {
        var ok = ConfigFileReader.TryRead("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service\"\n  \"metadata\": {}\n}", out _, out var error);

        Assert.False(ok);
        Assert.StartsWith("document 1: malformed JSON (line 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_UnknownKind_NamesDocument()
    {
        var ok = ConfigFileReader.TryRead(ServiceYaml + "\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", out _, out var error);

        Assert.False(ok);
        Assert.StartsWith("document 2: no kind \"Deployment\"", error, StringComparison.Ordinal);
    }
}
