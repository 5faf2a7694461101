using System.Text;
using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Patch;

namespace KubeProxyFast.ApiServer.Tests.Patch;

/// <summary>Runs patches on JSON text and compares JSON by value (member order aside, list order kept).</summary>
internal static class PatchJsonAssert
{
    public static JsonObject Apply(string original, string patch, PatchType type, string kind = "Pod") =>
        PatchApplier.Apply(Object(original), Encoding.UTF8.GetBytes(patch), type, kind);

    public static PatchException Fails(string original, string patch, PatchType type, string kind = "Pod") =>
        Assert.Throws<PatchException>(() => Apply(original, patch, type, kind));

    public static JsonObject Object(string json) => JsonNode.Parse(json)!.AsObject();

    public static void Equal(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actual),
            $"expected {expectedNode?.ToJsonString() ?? "null"}\nactual   {actual?.ToJsonString() ?? "null"}");
    }
}
