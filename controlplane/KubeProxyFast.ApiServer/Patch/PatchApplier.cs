using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// The PATCH engine: applies a patch body of any supported type to an object's JSON. Pure (no
/// HTTP, no storage); the PATCH handler decodes and validates the result as it would a PUT body.
/// </summary>
internal static class PatchApplier
{
    /// <summary>
    /// Applies <paramref name="patch"/> (the request body) to <paramref name="original"/> (the
    /// stored object). The original is not changed, so a failure leaves nothing half-patched.
    /// </summary>
    /// <param name="original">The current object, as a JSON object.</param>
    /// <param name="patch">The request body, UTF-8 JSON.</param>
    /// <param name="type">The patch type, from <see cref="PatchMediaTypes.TryParse"/>.</param>
    /// <param name="kind">The object's kind (<c>Pod</c>, <c>Service</c>, ...): strategic merge looks up its merge keys.</param>
    /// <returns>The patched object, a new node.</returns>
    /// <exception cref="PatchException">The patch is malformed or cannot be applied; <see cref="PatchException.Failure"/> picks the status.</exception>
    public static JsonObject Apply(JsonObject original, ReadOnlySpan<byte> patch, PatchType type, string kind)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(kind);

        var body = PatchJson.Parse(patch);
        var target = (JsonObject)original.DeepClone();
        var result = type switch
        {
            PatchType.Json => JsonPatch.Apply(target, body as JsonArray ?? throw WrongShape("a json patch must be a JSON array of operations", body)),
            PatchType.Merge => MergePatch.Apply(target, body as JsonObject ?? throw WrongShape("a merge patch must be a JSON object", body)),
            PatchType.StrategicMerge => StrategicMergePatch.Apply(target, body as JsonObject ?? throw WrongShape("a strategic merge patch must be a JSON object", body), kind),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a patch type"),
        };

        // Only a json patch can turn the object into something else (replace or add at "").
        return result as JsonObject
            ?? throw new PatchException($"the patched document is {PatchJson.Describe(result)}, not an object", PatchFailure.Unprocessable);
    }

    private static PatchException WrongShape(string expected, JsonNode? body) =>
        new($"{expected}, not {PatchJson.Describe(body)}", PatchFailure.BadRequest);
}
