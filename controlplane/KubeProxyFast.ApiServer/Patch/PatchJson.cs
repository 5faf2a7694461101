using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>Parsing of patch bodies and the wording of JSON values in error messages.</summary>
internal static class PatchJson
{
    // Longest rendering of a value quoted in a message: enough to recognise it, short enough that
    // a failed test against a whole pod spec does not echo the spec back.
    private const int MaxRenderedLength = 80;

    // Duplicate keys are rejected rather than resolved last-wins (as Go's decoder does): which of
    // two "replicas" a client meant is a guess, and a guess applied to a live object is worse than
    // a 400 that names the position.
    private static readonly JsonDocumentOptions s_documentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>Parses a patch body.</summary>
    /// <exception cref="PatchException">The body is not JSON (400, with line and position).</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonNode.Parse(utf8Json, documentOptions: s_documentOptions);
        }
        catch (JsonException e)
        {
            throw new PatchException($"the patch is not valid JSON: {StripPosition(e.Message)}{Position(e)}", PatchFailure.BadRequest, e);
        }
    }

    /// <summary>"an object", "an array", "a string", "a number", "a boolean" or "null".</summary>
    public static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>The value as compact JSON, cut short when long.</summary>
    public static string Render(JsonNode? node)
    {
        var json = node?.ToJsonString() ?? "null";
        return json.Length <= MaxRenderedLength ? json : string.Concat(json.AsSpan(0, MaxRenderedLength), "...");
    }

    private static string Position(JsonException e) => e.LineNumber is { } line
        ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1})")
        : "";

    // The reader appends " LineNumber: 0 | BytePositionInLine: 6." in 0-based terms; we report
    // the position once, 1-based.
    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).TrimEnd();
    }
}
