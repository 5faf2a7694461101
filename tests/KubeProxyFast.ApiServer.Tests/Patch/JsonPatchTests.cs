using System.Text;
using System.Text.Json.Nodes;
using KubeProxyFast.ApiServer.Patch;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

// Cases in the spirit of RFC 6902 appendix A, each with our own documents.
public sealed class JsonPatchTests
{
    [Theory]
    // Add a member, add into the middle of a list, append with "-", add a nested object.
    [InlineData("""{"x":1}""", """[{"op":"add","path":"/y","value":2}]""", """{"x":1,"y":2}""")]
    [InlineData("""{"l":["a","c"]}""", """[{"op":"add","path":"/l/1","value":"b"}]""", """{"l":["a","b","c"]}""")]
    [InlineData("""{"l":["a"]}""", """[{"op":"add","path":"/l/-","value":"b"}]""", """{"l":["a","b"]}""")]
    [InlineData("""{"l":["a"]}""", """[{"op":"add","path":"/l/1","value":"b"}]""", """{"l":["a","b"]}""")]
    [InlineData("""{"x":1}""", """[{"op":"add","path":"/o","value":{"p":[1]}}]""", """{"x":1,"o":{"p":[1]}}""")]
    [InlineData("""{"l":["a"]}""", """[{"op":"add","path":"/l/0","value":["n"]}]""", """{"l":[["n"],"a"]}""")]
    [InlineData("""{"x":1}""", """[{"op":"add","path":"/x","value":null}]""", """{"x":null}""")]
    // Remove a member, remove a list element.
    [InlineData("""{"x":1,"y":2}""", """[{"op":"remove","path":"/y"}]""", """{"x":1}""")]
    [InlineData("""{"l":["a","b","c"]}""", """[{"op":"remove","path":"/l/1"}]""", """{"l":["a","c"]}""")]
    // Replace.
    [InlineData("""{"spec":{"replicas":1}}""", """[{"op":"replace","path":"/spec/replicas","value":3}]""", """{"spec":{"replicas":3}}""")]
    [InlineData("""{"l":[1,2]}""", """[{"op":"replace","path":"/l/0","value":9}]""", """{"l":[9,2]}""")]
    [InlineData("""{"x":1}""", """[{"op":"replace","path":"","value":{"y":2}}]""", """{"y":2}""")]
    // Move a member across objects, move a list element, move to itself.
    [InlineData("""{"a":{"v":1},"b":{}}""", """[{"op":"move","from":"/a/v","path":"/b/w"}]""", """{"a":{},"b":{"w":1}}""")]
    [InlineData("""{"l":["a","b","c","d"]}""", """[{"op":"move","from":"/l/1","path":"/l/3"}]""", """{"l":["a","c","d","b"]}""")]
    [InlineData("""{"a":1}""", """[{"op":"move","from":"/a","path":"/a"}]""", """{"a":1}""")]
    // Copy.
    [InlineData("""{"a":{"v":[1]}}""", """[{"op":"copy","from":"/a","path":"/b"}]""", """{"a":{"v":[1]},"b":{"v":[1]}}""")]
    // Test that passes, including numbers written differently and a whole document.
    [InlineData("""{"s":"t","l":[1,{"a":true}]}""", """[{"op":"test","path":"/s","value":"t"},{"op":"test","path":"/l","value":[1,{"a":true}]}]""", """{"s":"t","l":[1,{"a":true}]}""")]
    [InlineData("""{"n":1}""", """[{"op":"test","path":"","value":{"n":1}}]""", """{"n":1}""")]
    // Escaped tokens: ~1 is "/" and ~0 is "~", decoded in one pass.
    [InlineData("""{"a/b":1,"m~n":2}""", """[{"op":"test","path":"/a~1b","value":1},{"op":"test","path":"/m~0n","value":2}]""", """{"a/b":1,"m~n":2}""")]
    [InlineData("""{"~1":1}""", """[{"op":"remove","path":"/~01"}]""", """{}""")]
    // Members an operation does not use are ignored.
    [InlineData("""{"x":1}""", """[{"op":"add","path":"/y","value":2,"extra":"ignored","from":"/x"}]""", """{"x":1,"y":2}""")]
    // Operations run in order, each seeing the last one's result.
    [InlineData("""{"x":1}""", """[{"op":"add","path":"/y","value":{}},{"op":"add","path":"/y/z","value":3},{"op":"remove","path":"/x"}]""", """{"y":{"z":3}}""")]
    [InlineData("""{"x":1}""", """[]""", """{"x":1}""")]
    public void Apply_ValidOperations_ProduceTheDocument(string original, string patch, string expected)
    {
        Equal(expected, Apply(original, patch, PatchType.Json));
    }

    [Theory]
    [InlineData("""{"spec":{}}""", """[{"op":"add","path":"/spec/x","value":1},{"op":"add","path":"/a/b","value":1},{"op":"add","path":"/spec/replicas","value":2}]""",
        "json patch operation 1 (add /a/b): path not found: /a")]
    [InlineData("""{"spec":{}}""", """[{"op":"test","path":"/spec","value":{}},{"op":"add","path":"/spec/x","value":1},{"op":"replace","path":"/spec/replicas","value":3}]""",
        "json patch operation 2 (replace /spec/replicas): path not found")]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":"/b"}]""", "json patch operation 0 (remove /b): path not found")]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":""}]""", "json patch operation 0 (remove \"\"): cannot remove the whole document")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/b","value":1}]""", "json patch operation 0 (test /b): path not found: /b")]
    [InlineData("""{"a":1}""", """[{"op":"move","from":"/b","path":"/c"}]""", "json patch operation 0 (move /c): from path not found: /b")]
    [InlineData("""{"a":1}""", """[{"op":"copy","from":"/b","path":"/c"}]""", "json patch operation 0 (copy /c): from path not found: /b")]
    [InlineData("""{"a":{"b":{}}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""", "json patch operation 0 (move /a/b/c): cannot move /a into its own child")]
    [InlineData("""{"l":[1]}""", """[{"op":"add","path":"/l/2","value":1}]""", "json patch operation 0 (add /l/2): index 2 is out of range (the array has 1 items)")]
    [InlineData("""{"l":[1]}""", """[{"op":"replace","path":"/l/1","value":1}]""", "json patch operation 0 (replace /l/1): index 1 is out of range (the array has 1 items)")]
    [InlineData("""{"l":[1]}""", """[{"op":"add","path":"/l/01","value":1}]""", "json patch operation 0 (add /l/01): \"01\" is not an array index")]
    [InlineData("""{"l":[1]}""", """[{"op":"remove","path":"/l/-"}]""", "json patch operation 0 (remove /l/-): \"-\" is not an array index")]
    [InlineData("""{"s":"x"}""", """[{"op":"add","path":"/s/t","value":1}]""", "json patch operation 0 (add /s/t): path not found: the parent is a string, not an object or array")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"a","value":1}]""", "json patch operation 0 (add a): invalid JSON pointer: it must be empty or start with \"/\"")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/a~2","value":1}]""", "json patch operation 0 (add /a~2): invalid JSON pointer")]
    [InlineData("""{"a":1}""", """[{"op":"copy","from":"b","path":"/c"}]""", "json patch operation 0 (copy /c): \"from\": invalid JSON pointer")]
    [InlineData("""{"a":1}""", """[{"op":"frobnicate","path":"/a"}]""", "json patch operation 0 (frobnicate): unknown op \"frobnicate\"")]
    [InlineData("""{"a":1}""", """[{"path":"/a"}]""", "json patch operation 0: missing \"op\"")]
    [InlineData("""{"a":1}""", """[{"op":3,"path":"/a"}]""", "json patch operation 0: \"op\" must be a string, not a number")]
    [InlineData("""{"a":1}""", """[{"op":"add","value":1}]""", "json patch operation 0 (add): missing \"path\"")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/b"}]""", "json patch operation 0 (add /b): missing \"value\"")]
    [InlineData("""{"a":1}""", """[{"op":"move","path":"/b"}]""", "json patch operation 0 (move /b): missing \"from\"")]
    [InlineData("""{"a":1}""", """["add"]""", "json patch operation 0: expected an object, found a string")]
    public void Apply_BadOperation_NamesOperationAndPath(string original, string patch, string message)
    {
        var e = Fails(original, patch, PatchType.Json);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(PatchFailure.Unprocessable, e.Failure);
    }

    [Theory]
    [InlineData("""{"n":10}""", """[{"op":"test","path":"/n","value":"10"}]""", "json patch operation 0 (test /n): test failed: the value is 10, not \"10\"")]
    [InlineData("""{"spec":{"replicas":1}}""", """[{"op":"test","path":"/spec/replicas","value":2}]""", "json patch operation 0 (test /spec/replicas): test failed: the value is 1, not 2")]
    [InlineData("""{"l":[1,2]}""", """[{"op":"test","path":"/l","value":[2,1]}]""", "json patch operation 0 (test /l): test failed: the value is [1,2], not [2,1]")]
    public void Apply_FailedTest_IsUnprocessableAndShowsBothValues(string original, string patch, string message)
    {
        var e = Fails(original, patch, PatchType.Json);

        Assert.Equal(message, e.Message);
        Assert.Equal(PatchFailure.Unprocessable, e.Failure);
    }

    [Fact]
    public void Apply_FailureAfterEarlierOperations_LeavesOriginalUnchanged()
    {
        var original = Object("""{"a":1,"l":[1]}""");
        var patch = """[{"op":"remove","path":"/a"},{"op":"add","path":"/l/0","value":0},{"op":"test","path":"/l/0","value":5}]"""u8;

        try
        {
            PatchApplier.Apply(original, patch, PatchType.Json, "Pod");
            Assert.Fail("the test operation should have failed");
        }
        catch (PatchException)
        {
            Equal("""{"a":1,"l":[1]}""", original);
        }
    }

    [Fact]
    public void Apply_ReplaceRootWithArray_IsUnprocessable()
    {
        var e = Fails("""{"a":1}""", """[{"op":"replace","path":"","value":[1]}]""", PatchType.Json);

        Assert.Equal("the patched document is an array, not an object", e.Message);
        Assert.Equal(PatchFailure.Unprocessable, e.Failure);
    }

    [Fact]
    public void Apply_TooManyOperations_IsTooLarge()
    {
        var patch = new StringBuilder("[");
        for (var i = 0; i <= JsonPatch.MaxOperations; i++)
        {
            patch.Append(i == 0 ? "" : ",").Append("""{"op":"test","path":"","value":{}}""");
        }

        var e = Fails("{}", patch.Append(']').ToString(), PatchType.Json);

        Assert.Equal(PatchFailure.TooLarge, e.Failure);
        Assert.Contains("at most 10000 operations, this one has 10001", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_CopiesPastTheCopyBudget_FailBeforeBuildingThem()
    {
        // Each copy doubles /a: 20 of them would build 1 GB from a 1 KB value.
        var document = new JsonObject { ["a"] = new JsonObject { ["v"] = new string('x', 1024) } };
        var operations = new JsonArray();
        for (var i = 0; i < 20; i++)
        {
            operations.Add(new JsonObject { ["op"] = "copy", ["from"] = "/a", ["path"] = "/a/c" + i });
        }

        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(document, operations));

        Assert.Equal(PatchFailure.Unprocessable, e.Failure);
        Assert.Contains("json patch operation 11 (copy /a/c11): unable to complete the copy, the accumulated size increase of copy is", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("exceeding the limit 3145728", e.Message, StringComparison.Ordinal);
        Assert.True(JsonSize.Of(document) < 2 * JsonPatch.MaxCopyBytes, "the document grew past the budget before the patch failed");
    }

    [Fact]
    public void Apply_CopiesWithinTheCopyBudget_Apply()
    {
        var operations = JsonNode.Parse("""[{"op":"copy","from":"/a","path":"/b"},{"op":"copy","from":"/b","path":"/c"}]""")!.AsArray();

        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":{"v":"x"}}"""), operations);

        Assert.Equal("""{"a":{"v":"x"},"b":{"v":"x"},"c":{"v":"x"}}""", result!.ToJsonString());
    }

    [Theory]
    [InlineData("null", 4)]
    [InlineData("""{ "a" : [1, "b"] }""", 13)]
    public void JsonSize_Of_IsTheCompactUtf8Length(string json, long expected) =>
        Assert.Equal(expected, JsonSize.Of(JsonNode.Parse(json)));

    [Fact]
    public void Apply_ValueNode_IsCopiedNotShared()
    {
        var operations = JsonNode.Parse("""[{"op":"add","path":"/a","value":{"b":1}},{"op":"add","path":"/c","value":{"b":1}}]""")!.AsArray();

        var result = JsonPatch.Apply(JsonNode.Parse("{}"), operations)!;
        result["a"]!["b"] = 2;

        Equal("""{"a":{"b":2},"c":{"b":1}}""", result);
        Equal("""{"b":1}""", operations[0]!["value"]);
    }
}
