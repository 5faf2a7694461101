using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Tests.Serialization;

public sealed class YamlDocumentsTests
{
    private const string Manifest = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels: {app: web, "version": "2"}
        spec:
          type: NodePort
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: http
          - name: dns
            protocol: UDP
            port: 53
            targetPort: 5353
        ---
        # an empty document is skipped
        ---
        apiVersion: v1
        kind: Endpoints
        metadata:
          name: web
        subsets:
        - addresses:
          - ip: 198.18.1.7
          ports:
          - name: http
            port: 8080
        ...
        """;

    [Fact]
    public void ToObjects_MultiDocument_DecodesEachAndSkipsEmpty()
    {
        var objects = YamlDocuments.ToObjects(Manifest);

        Assert.Equal(2, objects.Count);
        var service = Assert.IsType<Service>(objects[0]);
        Assert.Equal("2", service.Metadata.Labels!["version"]);
        Assert.Equal("http", service.Spec!.Ports![0].TargetPort!.Value.StringValue);
        Assert.Equal(5353, service.Spec.Ports[1].TargetPort!.Value.IntValue);
        var endpoints = Assert.IsType<Endpoints>(objects[1]);
        Assert.Equal("198.18.1.7", endpoints.Subsets![0].Addresses![0].Ip);
    }

    [Theory]
    [InlineData("a: 80", "{\"a\":80}")]
    [InlineData("a: \"80\"", "{\"a\":\"80\"}")]
    [InlineData("a: '80'", "{\"a\":\"80\"}")]
    [InlineData("a: !!str 80", "{\"a\":\"80\"}")]
    [InlineData("a: -17", "{\"a\":-17}")]
    [InlineData("a: +17", "{\"a\":17}")]
    [InlineData("a: 0x1F", "{\"a\":31}")]
    [InlineData("a: 0o17", "{\"a\":15}")]
    [InlineData("a: 0.5", "{\"a\":0.5}")]
    [InlineData("a: 1e3", "{\"a\":1000}")]
    [InlineData("a: 100m", "{\"a\":\"100m\"}")]
    [InlineData("a: 64Mi", "{\"a\":\"64Mi\"}")]
    [InlineData("a: true", "{\"a\":true}")]
    [InlineData("a: False", "{\"a\":false}")]
    [InlineData("a: yes", "{\"a\":\"yes\"}")]
    [InlineData("a: ~", "{\"a\":null}")]
    [InlineData("a:", "{\"a\":null}")]
    [InlineData("a: 198.18.0.1", "{\"a\":\"198.18.0.1\"}")]
    [InlineData("a: 1.2.3", "{\"a\":\"1.2.3\"}")]
    [InlineData("a: 123456789012345678901234567890", "{\"a\":123456789012345678901234567890}")]
    [InlineData("a: [x, 'y', 3]", "{\"a\":[\"x\",\"y\",3]}")]
    [InlineData("base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2", "{\"base\":{\"x\":1},\"merged\":{\"x\":1,\"y\":2}}")]
    [InlineData("a: |\n  line1\n  line2\n", "{\"a\":\"line1\\nline2\\n\"}")]
    [InlineData("{\"a\": [1, 2]}", "{\"a\":[1,2]}")]
    public void ToJson_Scalars_FollowTheYamlCoreSchema(string yaml, string json)
    {
        var documents = YamlDocuments.ToJson(yaml);

        Assert.Equal(json, Encoding.UTF8.GetString(Assert.Single(documents)));
    }

    [Theory]
    [InlineData("a: [1, 2", "malformed YAML at line")]
    [InlineData("a: 1\n b: 2\n", "malformed YAML at line 2")]
    [InlineData("a: 1\na: 2\n", "malformed YAML")]
    [InlineData("? [x]\n: 1\n", "a mapping key must be a plain string")]
    [InlineData("a: .inf", "cannot be represented in JSON")]
    [InlineData("a: *missing", "malformed YAML")]
    public void ToJson_BadYaml_SaysWhatAndWhere(string yaml, string message)
    {
        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToObjects_BadSecondDocument_NamesDocumentAndField()
    {
        const string yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: eighty\n";

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToObjects(yaml));

        Assert.Equal("spec.ports[0].port", e.Field);
        Assert.StartsWith("spec.ports[0].port: document 2: invalid value: expected a 32-bit integer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_EmptyStream_HasNoDocuments()
    {
        Assert.Empty(YamlDocuments.ToJson("# nothing\n---\n"));
    }
}
