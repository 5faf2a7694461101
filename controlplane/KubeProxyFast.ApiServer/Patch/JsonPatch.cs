using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// RFC 6902 JSON Patch. Operations apply in order to the document, which the caller owns and
/// which is changed in place; the first failure stops the patch with an error naming the
/// operation, so the caller must patch a copy to get all-or-nothing (RFC 6902 §5).
/// </summary>
internal static class JsonPatch
{
    /// <summary>
    /// The most operations one patch may hold: Kubernetes' <c>maxJSONPatchOperations</c>, which
    /// bounds the work a single request can ask for.
    /// </summary>
    public const int MaxOperations = 10_000;

    /// <summary>
    /// The most bytes all <c>copy</c> operations of one patch may add together: Kubernetes'
    /// <c>JSONPatchMaxCopyBytes</c> (3 MiB, twice etcd's 1.5 MiB request limit). Without it twenty
    /// copies that each double a value build a 42 MB object from a 1 KB patch; with it a patch
    /// grows the object by at most its own size plus this.
    /// </summary>
    public const long MaxCopyBytes = 3 * 1024 * 1024;

    /// <summary>Applies <paramref name="operations"/> to <paramref name="document"/> and returns the result.</summary>
    /// <exception cref="PatchException">An operation is malformed or cannot be applied (422), or there are too many (413).</exception>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        if (operations.Count > MaxOperations)
        {
            throw new PatchException(
                string.Create(CultureInfo.InvariantCulture, $"a json patch may hold at most {MaxOperations} operations, this one has {operations.Count}"),
                PatchFailure.TooLarge);
        }

        long copied = 0;
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = JsonPatchOperation.Read(i, operations[i]);
            document = operation.Op switch
            {
                "add" => Add(document, operation.Path, operation.Value?.DeepClone(), operation),
                "remove" => Remove(document, operation.Path, operation, "", out _),
                "replace" => Replace(document, operation),
                "move" => Move(document, operation),
                "copy" => Add(document, operation.Path, Copy(document, operation, ref copied), operation),
                _ => Test(document, operation),
            };
        }

        return document;
    }

    private static JsonNode? Add(JsonNode? document, JsonPointer path, JsonNode? value, JsonPatchOperation operation)
    {
        if (path.IsRoot)
        {
            return value;
        }

        switch (Find(document, path.Parent(), operation, ""))
        {
            case JsonObject obj:
                obj[path.Last] = value;
                break;
            case JsonArray array when path.Last == JsonPointer.EndOfArray:
                array.Add(value);
                break;
            case JsonArray array:
                // Insertion may name the slot just past the end (same as "-"), nothing further.
                array.Insert(Index(array, path.Last, array.Count, operation), value);
                break;
            case var parent:
                throw operation.Fail($"path not found: the parent is {PatchJson.Describe(parent)}, not an object or array");
        }

        return document;
    }

    // role is "" for the operation's path and "from " for a move's source, so the error says which.
    private static JsonNode? Remove(JsonNode? document, JsonPointer path, JsonPatchOperation operation, string role, out JsonNode? removed)
    {
        if (path.IsRoot)
        {
            throw operation.Fail("cannot remove the whole document");
        }

        switch (Find(document, path.Parent(), operation, role))
        {
            case JsonObject obj when obj.TryGetPropertyValue(path.Last, out removed):
                obj.Remove(path.Last);
                break;
            case JsonArray array:
                var index = Index(array, path.Last, array.Count - 1, operation);
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw operation.Fail(role.Length == 0 ? "path not found" : $"{role}path not found: {path.Text}");
        }

        return document;
    }

    private static JsonNode? Replace(JsonNode? document, JsonPatchOperation operation)
    {
        var path = operation.Path;
        var value = operation.Value?.DeepClone();
        if (path.IsRoot)
        {
            return value;
        }

        switch (Find(document, path.Parent(), operation, ""))
        {
            case JsonObject obj when obj.ContainsKey(path.Last):
                obj[path.Last] = value;
                break;
            case JsonArray array:
                array[Index(array, path.Last, array.Count - 1, operation)] = value;
                break;
            default:
                throw operation.Fail("path not found");
        }

        return document;
    }

    private static JsonNode? Move(JsonNode? document, JsonPatchOperation operation)
    {
        var from = operation.From!;
        if (from.IsProperPrefixOf(operation.Path))
        {
            throw operation.Fail($"cannot move {from.Text} into its own child");
        }

        document = Remove(document, from, operation, "from ", out var value);
        return Add(document, operation.Path, value, operation);
    }

    /// <summary>A copy of the <c>from</c> value, counted against <see cref="MaxCopyBytes"/> before it is made.</summary>
    private static JsonNode? Copy(JsonNode? document, JsonPatchOperation operation, ref long copied)
    {
        var value = Find(document, operation.From!, operation, "from ");
        copied += JsonSize.Of(value);
        if (copied > MaxCopyBytes)
        {
            // evanphx/json-patch's wording, which Kubernetes answers with 422.
            throw operation.Fail(string.Create(CultureInfo.InvariantCulture,
                $"unable to complete the copy, the accumulated size increase of copy is {copied}, exceeding the limit {MaxCopyBytes}"));
        }

        return value?.DeepClone();
    }

    private static JsonNode? Test(JsonNode? document, JsonPatchOperation operation)
    {
        var actual = Find(document, operation.Path, operation, "");
        if (!JsonNode.DeepEquals(actual, operation.Value))
        {
            throw operation.Fail($"test failed: the value is {PatchJson.Render(actual)}, not {PatchJson.Render(operation.Value)}");
        }

        return document;
    }

    private static JsonNode? Find(JsonNode? document, JsonPointer pointer, JsonPatchOperation operation, string role) =>
        pointer.TryFind(document, out var value) ? value : throw operation.Fail($"{role}path not found: {pointer.Text}");

    // An existing element (max = Count - 1) or an insertion slot (max = Count).
    private static int Index(JsonArray array, string token, int max, JsonPatchOperation operation)
    {
        if (!JsonPointer.TryParseIndex(token, out var index))
        {
            throw operation.Fail($"\"{token}\" is not an array index");
        }

        return index <= max
            ? index
            : throw operation.Fail(string.Create(CultureInfo.InvariantCulture, $"index {index} is out of range (the array has {array.Count} items)"));
    }
}
