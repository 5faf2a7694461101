using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>One decoded RFC 6902 operation, and the errors that name it.</summary>
internal sealed class JsonPatchOperation
{
    private JsonPatchOperation(int index, string op, JsonPointer path)
    {
        Index = index;
        Op = op;
        Path = path;
    }

    /// <summary>0-based position of the operation in the patch array.</summary>
    public int Index { get; }

    /// <summary><c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> or <c>test</c>.</summary>
    public string Op { get; }

    /// <summary>The target location.</summary>
    public JsonPointer Path { get; }

    /// <summary>The source location of <c>move</c> and <c>copy</c>.</summary>
    public JsonPointer? From { get; private init; }

    /// <summary>The value of <c>add</c>, <c>replace</c> and <c>test</c> (may be JSON null).</summary>
    public JsonNode? Value { get; private init; }

    /// <summary>Decodes operation <paramref name="index"/> of a patch.</summary>
    /// <exception cref="PatchException">A member is missing, of the wrong type, or the op is unknown (422).</exception>
    public static JsonPatchOperation Read(int index, JsonNode? node)
    {
        var where = Where(index, null, null);
        if (node is not JsonObject obj)
        {
            throw Unprocessable($"{where}: expected an object, found {PatchJson.Describe(node)}");
        }

        var op = RequiredString(obj, "op", where);
        where = Where(index, op, null);
        if (op is not ("add" or "remove" or "replace" or "move" or "copy" or "test"))
        {
            throw Unprocessable($"{where}: unknown op \"{op}\" (expected add, remove, replace, move, copy or test)");
        }

        var pathText = RequiredString(obj, "path", where);
        where = Where(index, op, pathText);
        var path = JsonPointer.TryParse(pathText, out var parsed, out var pathError)
            ? parsed
            : throw Unprocessable($"{where}: {pathError}");

        JsonPointer? from = null;
        if (op is "move" or "copy")
        {
            var fromText = RequiredString(obj, "from", where);
            from = JsonPointer.TryParse(fromText, out var parsedFrom, out var fromError)
                ? parsedFrom
                : throw Unprocessable($"{where}: \"from\": {fromError}");
        }

        JsonNode? value = null;
        if (op is "add" or "replace" or "test" && !obj.TryGetPropertyValue("value", out value))
        {
            throw Unprocessable($"{where}: missing \"value\"");
        }

        return new JsonPatchOperation(index, op, path) { From = from, Value = value };
    }

    /// <summary>An error about this operation: <c>json patch operation 2 (replace /spec/replicas): path not found</c>.</summary>
    public PatchException Fail(string detail) => Unprocessable($"{Where(Index, Op, Path.Text)}: {detail}");

    private static string Where(int index, string? op, string? path) => (op, path) switch
    {
        (null, _) => string.Create(CultureInfo.InvariantCulture, $"json patch operation {index}"),
        (_, null) => string.Create(CultureInfo.InvariantCulture, $"json patch operation {index} ({op})"),
        // The root pointer is the empty string; quote it so the message does not look cut off.
        _ => string.Create(CultureInfo.InvariantCulture, $"json patch operation {index} ({op} {(path.Length == 0 ? "\"\"" : path)})"),
    };

    private static string RequiredString(JsonObject obj, string name, string where)
    {
        if (!obj.TryGetPropertyValue(name, out var node))
        {
            throw Unprocessable($"{where}: missing \"{name}\"");
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw Unprocessable($"{where}: \"{name}\" must be a string, not {PatchJson.Describe(node)}");
    }

    private static PatchException Unprocessable(string message) => new(message, PatchFailure.Unprocessable);
}
