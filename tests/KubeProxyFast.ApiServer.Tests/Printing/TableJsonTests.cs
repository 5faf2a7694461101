using System.Text.Json;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Tests.Printing;

public sealed class TableJsonTests
{
    private static readonly Pod s_pod = new()
    {
        Kind = "Pod", ApiVersion = "v1",
        Metadata = new() { Name = "web-1", Namespace = "default", Uid = "u1", Labels = new() { ["app"] = "web" }, CreationTimestamp = Fixtures.Ago(5) },
        Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
    };

    private static JsonElement Json(TablePrintOptions options) =>
        Encode(Fixtures.Printer().Print("pods", [s_pod], options with { ResourceVersion = "42" }));

    [Fact]
    public void Serialize_Table_KubernetesShape()
    {
        var root = Json(new TablePrintOptions());

        Assert.Equal("Table", root.GetProperty("kind").GetString());
        Assert.Equal("meta.k8s.io/v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("42", root.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        var name = root.GetProperty("columnDefinitions")[0];
        Assert.Equal(["name", "type", "format", "description", "priority"], name.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, name.GetProperty("priority").GetInt32());
        Assert.Equal("", root.GetProperty("columnDefinitions")[1].GetProperty("format").GetString());
        var cells = root.GetProperty("rows")[0].GetProperty("cells");
        Assert.Equal("web-1", cells[0].GetString());
        Assert.Equal(0, cells[3].GetInt64());
        Assert.Equal("5s", cells[4].GetString());
    }

    [Fact]
    public void Serialize_DefaultIncludeObject_PartialObjectMetadata()
    {
        var obj = Json(new TablePrintOptions()).GetProperty("rows")[0].GetProperty("object");

        Assert.Equal("PartialObjectMetadata", obj.GetProperty("kind").GetString());
        Assert.Equal("meta.k8s.io/v1", obj.GetProperty("apiVersion").GetString());
        Assert.Equal("web", obj.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal("2024-05-01T11:59:55Z", obj.GetProperty("metadata").GetProperty("creationTimestamp").GetString());
        Assert.False(obj.TryGetProperty("spec", out _));
    }

    [Fact]
    public void Serialize_IncludeObjectObject_FullObject()
    {
        var obj = Json(new TablePrintOptions { IncludeObject = IncludeObject.Object }).GetProperty("rows")[0].GetProperty("object");

        Assert.Equal("Pod", obj.GetProperty("kind").GetString());
        Assert.Equal("nginx", obj.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());
    }

    [Fact]
    public void Serialize_IncludeObjectNone_NoObject()
    {
        Assert.False(Json(new TablePrintOptions { IncludeObject = IncludeObject.None }).GetProperty("rows")[0].TryGetProperty("object", out _));
    }

    [Fact]
    public void Serialize_NoHeadersV1Beta1_EmptyColumnsAndOldVersion()
    {
        var root = Json(new TablePrintOptions { NoHeaders = true, GroupVersion = TableAccept.GroupVersionV1Beta1 });

        Assert.Equal("meta.k8s.io/v1beta1", root.GetProperty("apiVersion").GetString());
        Assert.Equal(0, root.GetProperty("columnDefinitions").GetArrayLength());
        Assert.Equal("meta.k8s.io/v1beta1", root.GetProperty("rows")[0].GetProperty("object").GetProperty("apiVersion").GetString());
    }

    [Fact]
    public void Serialize_EmptyList_WritesEmptyRows()
    {
        var element = Encode(Fixtures.Printer().Print("pods", [], new()));

        Assert.Equal(0, element.GetProperty("rows").GetArrayLength());
        Assert.Equal(9, element.GetProperty("columnDefinitions").GetArrayLength());
    }

    [Fact]
    public void Print_UnknownResourceOrWrongKind_Throws()
    {
        Assert.False(TablePrinter.CanPrint("bindings"));
        Assert.Throws<ArgumentException>(() => Fixtures.Printer().Print("bindings", [], new()));
        Assert.Throws<ArgumentException>(() => Fixtures.Printer().Print("services", [s_pod], new()));
    }

    private static JsonElement Encode(Table table)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            TableJson.Serialize(writer, table);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
