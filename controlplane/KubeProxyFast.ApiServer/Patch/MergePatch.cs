using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// RFC 7386 JSON Merge Patch: an object patch merges member by member, recursively, and a null
/// member deletes; any other patch value (array, string, number, ...) replaces the target whole.
/// </summary>
internal static class MergePatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="target"/>, which is changed in place
    /// when it is an object, and returns the result. The patch is not changed.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            result.TryGetPropertyValue(name, out var current);
            var merged = Apply(current, value);

            // A merged object comes back as the same node, already in place; setting it again
            // would be setting a node that has a parent.
            if (!ReferenceEquals(merged, current))
            {
                result[name] = merged;
            }
        }

        return result;
    }
}
