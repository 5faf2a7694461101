using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

internal sealed partial class StrategicMergePatch
{
    // $setElementOrder/<field>: the patch lists the field's elements (their merge keys, or the
    // primitives) in the order the client wants. The field is merged here, then ordered; the
    // returned names are done and skipped by the main loop.
    private HashSet<string>? ApplySetElementOrders(JsonObject original, JsonObject patch, PatchLocation at)
    {
        HashSet<string>? done = null;
        foreach (var (name, value) in patch)
        {
            if (!name.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var field = FieldOf(name, SetElementOrderPrefix, at);
            if (value is not JsonArray order)
            {
                throw BadRequest(at, $"{name} must hold a list, not {PatchJson.Describe(value)}");
            }

            original.TryGetPropertyValue(field, out var current);
            if (patch.TryGetPropertyValue(field, out var patchValue) && patchValue is not JsonArray)
            {
                // The patch deletes the field (null) or sets it to a non-list: the main loop does
                // that, and there is nothing to order.
                continue;
            }

            var fieldAt = at.Field(field);
            var currentList = current as JsonArray;
            var serverOrder = currentList?.ToList() ?? [];
            var merged = (currentList, patchValue as JsonArray) switch
            {
                (null, null) => null,
                (_, null) => currentList,
                (var list, { } patchList) => MergeList(list ?? [], patchList, fieldAt),
            };
            if (merged is null)
            {
                continue;
            }

            var key = _keys.Find(fieldAt.Schema)?.MergeKey;
            Func<JsonNode?, JsonNode?, bool> matches = key is null ? JsonNode.DeepEquals : (a, b) => SameKey(a, b, key);
            original[field] = new JsonArray([.. Order(TakeAll(merged), [.. order], serverOrder, matches)]);
            (done ??= new(StringComparer.Ordinal)).Add(field);
        }

        return done;
    }

    // Kubernetes' normalizeElementOrder: the elements the patch names come in the patch's order,
    // the others (server-only) in their live order, and the two runs are interleaved so that a
    // server-only element stays ahead of a patch element it preceded in the live list.
    private static List<JsonNode?> Order(
        List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, Func<JsonNode?, JsonNode?, bool> matches)
    {
        var fromPatch = SortBy(merged.Where(item => IndexOf(patchOrder, item, matches) >= 0), patchOrder, matches);
        var serverOnly = SortBy(merged.Where(item => IndexOf(patchOrder, item, matches) < 0), serverOrder, matches);

        var result = new List<JsonNode?>(merged.Count);
        int s = 0, p = 0;
        while (s < serverOnly.Count || p < fromPatch.Count)
        {
            var takeServer = p >= fromPatch.Count;
            if (!takeServer && s < serverOnly.Count)
            {
                var serverIndex = IndexOf(serverOrder, serverOnly[s], matches);
                var patchIndex = IndexOf(serverOrder, fromPatch[p], matches);
                takeServer = serverIndex >= 0 && patchIndex >= 0 && serverIndex < patchIndex;
            }

            result.Add(takeServer ? serverOnly[s++] : fromPatch[p++]);
        }

        return result;
    }

    // Stable: elements the order does not name keep their relative order, after the named ones.
    private static List<JsonNode?> SortBy(IEnumerable<JsonNode?> items, List<JsonNode?> order, Func<JsonNode?, JsonNode?, bool> matches) =>
        [.. items.OrderBy(item => IndexOf(order, item, matches) is var i and >= 0 ? i : int.MaxValue)];

    private static int IndexOf(List<JsonNode?> list, JsonNode? item, Func<JsonNode?, JsonNode?, bool> matches) =>
        list.FindIndex(candidate => matches(candidate, item));
}
