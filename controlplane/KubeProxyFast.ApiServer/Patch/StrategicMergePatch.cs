using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// Kubernetes' strategic merge patch, server side (<c>StrategicMergeMapPatch</c> in
/// apimachinery's <c>util/strategicpatch/patch.go</c>): objects merge as in RFC 7386, null
/// deletes, lists named in <see cref="StrategicMergeKeys"/> merge by key or as sets and every other
/// list is replaced, and the directives <c>$patch</c>, <c>$retainKeys</c>,
/// <c>$setElementOrder/&lt;field&gt;</c> and <c>$deleteFromPrimitiveList/&lt;field&gt;</c> steer it.
/// Any other key starting with <c>$</c> is an unknown directive and an error.
/// </summary>
internal sealed partial class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private readonly StrategicMergeKeys _keys;

    private StrategicMergePatch(StrategicMergeKeys keys)
    {
        _keys = keys;
    }

    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="original"/> (an object of
    /// <paramref name="kind"/>), which is changed in place, and returns the result — the same
    /// node, or a new one when the patch says <c>$patch: replace</c> or <c>delete</c> at the root.
    /// The patch is not changed.
    /// </summary>
    /// <exception cref="PatchException">A directive is malformed or unknown (400), or contradicts the patch (422).</exception>
    public static JsonObject Apply(JsonObject original, JsonObject patch, string kind) =>
        new StrategicMergePatch(StrategicMergeKeys.ForKind(kind)).MergeObject(original, patch, PatchLocation.Root);

    private JsonObject MergeObject(JsonObject original, JsonObject patch, PatchLocation at)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            switch (DirectiveValue(directive, at))
            {
                case "replace":
                    // The patch is the whole new object; merging it into nothing also resolves
                    // any directives nested inside it.
                    original = [];
                    break;
                case "delete":
                    // As Kubernetes: the object becomes empty (not absent).
                    return [];
            }
        }

        ApplyRetainKeys(original, patch, at);
        var ordered = ApplySetElementOrders(original, patch, at);
        foreach (var (name, value) in patch)
        {
            if (name.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, name, value, at);
            }
            else if (name is DirectiveMarker or RetainKeysDirective || name.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                // Applied above, before the fields they constrain.
                continue;
            }
            else if (name.StartsWith('$'))
            {
                throw BadRequest(at, $"unknown directive {name}");
            }
            else if (ordered?.Contains(name) != true)
            {
                MergeField(original, name, value, at.Field(name));
            }
        }

        return original;
    }

    private void MergeField(JsonObject parent, string name, JsonNode? value, PatchLocation at)
    {
        if (value is null)
        {
            parent.Remove(name);
            return;
        }

        parent.TryGetPropertyValue(name, out var current);
        var merged = (current, value) switch
        {
            (JsonObject currentObject, JsonObject patchObject) => MergeObject(currentObject, patchObject, at),
            (JsonArray currentList, JsonArray patchList) => MergeList(currentList, patchList, at),
            _ => Fresh(value, at),
        };

        // A merge in place returns the node already there; setting it again would fail (it has a parent).
        if (!ReferenceEquals(merged, current))
        {
            parent[name] = merged;
        }
    }

    // A patch value with nothing to merge into. It still goes through the merge, so that its own
    // nulls and directives are resolved rather than stored.
    private JsonNode? Fresh(JsonNode? value, PatchLocation at) => value switch
    {
        JsonObject obj => MergeObject([], obj, at),
        JsonArray list => MergeList([], list, at),
        _ => value?.DeepClone(),
    };

    private static void ApplyRetainKeys(JsonObject original, JsonObject patch, PatchLocation at)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var directive))
        {
            return;
        }

        if (directive is not JsonArray names || names.Any(n => n?.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            throw BadRequest(at, $"{RetainKeysDirective} must be a list of field names, not {PatchJson.Render(directive)}");
        }

        var retained = names.Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in patch)
        {
            if (value is not null && !name.StartsWith('$') && !retained.Contains(name))
            {
                throw new PatchException(
                    $"strategic merge patch: the patch sets \"{name}\", which {RetainKeysDirective} does not retain{at.Suffix}",
                    PatchFailure.Unprocessable);
            }
        }

        foreach (var name in original.Select(member => member.Key).Where(k => !retained.Contains(k)).ToList())
        {
            original.Remove(name);
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string name, JsonNode? value, PatchLocation at)
    {
        var field = FieldOf(name, DeleteFromPrimitiveListPrefix, at);
        if (value is not JsonArray toDelete)
        {
            throw BadRequest(at, $"{name} must hold a list of the values to delete, not {PatchJson.Describe(value)}");
        }

        // A list the object does not have has nothing to delete (Kubernetes would store the
        // deletion list as the field's value instead).
        if (original.TryGetPropertyValue(field, out var current) && current is JsonArray list)
        {
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (toDelete.Any(d => JsonNode.DeepEquals(d, list[i])))
                {
                    list.RemoveAt(i);
                }
            }
        }
    }

    // The field a "$directive/<field>" key names.
    private static string FieldOf(string name, string prefix, PatchLocation at) =>
        name.Length > prefix.Length ? name[prefix.Length..] : throw BadRequest(at, $"{name} needs a field name after the \"/\"");

    private static string DirectiveValue(JsonNode? directive, PatchLocation at)
    {
        var text = directive is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
        return text is "replace" or "delete" or "merge"
            ? text
            : throw BadRequest(at, $"unknown directive {DirectiveMarker}: {text ?? PatchJson.Render(directive)}");
    }

    private static PatchException BadRequest(PatchLocation at, string detail) =>
        new($"strategic merge patch: {detail}{at.Suffix}", PatchFailure.BadRequest);
}
