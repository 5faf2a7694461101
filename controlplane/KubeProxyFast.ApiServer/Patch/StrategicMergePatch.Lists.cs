using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

internal sealed partial class StrategicMergePatch
{
    // Returns a new list; the nodes of `original` move into it.
    private JsonArray MergeList(JsonArray original, JsonArray patch, PatchLocation at) => _keys.Find(at.Schema) switch
    {
        null => ReplaceList(patch, at),
        { MergeKey: null } => new JsonArray([.. MergeSet(original, patch)]),
        { MergeKey: { } key } => new JsonArray([.. MergeByKey(original, patch, key, at)]),
    };

    private JsonArray ReplaceList(JsonArray patch, PatchLocation at)
    {
        var list = new JsonArray();
        for (var i = 0; i < patch.Count; i++)
        {
            list.Add(Fresh(patch[i], at.Item(i)));
        }

        return list;
    }

    // A list of primitives with patchStrategy merge: the union, without duplicates.
    private static List<JsonNode?> MergeSet(JsonArray original, JsonArray patch)
    {
        var serverOrder = TakeAll(original);
        var merged = new List<JsonNode?>(serverOrder.Count + patch.Count);
        foreach (var item in serverOrder.Concat(patch))
        {
            if (!merged.Any(m => JsonNode.DeepEquals(m, item)))
            {
                merged.Add(ReferenceEquals(item?.Parent, patch) ? item!.DeepClone() : item);
            }
        }

        return Order(merged, [.. patch], serverOrder, JsonNode.DeepEquals);
    }

    // A list of objects with a patchMergeKey: elements with the same key merge, new ones are
    // added, and elements may carry $patch: delete (drop the live element with that key),
    // replace (the patch's elements become the list) or merge (the default, stated).
    private List<JsonNode?> MergeByKey(JsonArray original, JsonArray patch, string key, PatchLocation at)
    {
        var items = TakeAll(original);
        var toMerge = new List<(JsonObject Element, int Index)>();
        var replace = false;
        for (var i = 0; i < patch.Count; i++)
        {
            if (patch[i] is not JsonObject element)
            {
                throw BadRequest(at.Item(i), $"expected an object with merge key \"{key}\", found {PatchJson.Describe(patch[i])}");
            }

            var directive = element.TryGetPropertyValue(DirectiveMarker, out var d) ? DirectiveValue(d, at.Item(i)) : "merge";
            switch (directive)
            {
                case "delete":
                    var deleted = KeyOf(element, key, at.Item(i));
                    items.RemoveAll(item => HasKey(item, key, deleted));
                    break;
                case "replace":
                    replace = true;
                    break;
                default:
                    toMerge.Add((element, i));
                    break;
            }
        }

        if (replace)
        {
            return [.. toMerge.Select(m => Fresh(m.Element, at.Item(m.Index)))];
        }

        var serverOrder = items.ToList();
        foreach (var (element, index) in toMerge)
        {
            var value = KeyOf(element, key, at.Item(index));
            var match = items.FindIndex(item => HasKey(item, key, value));
            if (match >= 0)
            {
                items[match] = MergeObject((JsonObject)items[match]!, element, at.Item(index));
            }
            else
            {
                items.Add(Fresh(element, at.Item(index)));
            }
        }

        return Order(items, [.. toMerge.Select(m => (JsonNode?)m.Element)], serverOrder, (a, b) => SameKey(a, b, key));
    }

    private static JsonNode KeyOf(JsonObject element, string key, PatchLocation at) =>
        element.TryGetPropertyValue(key, out var value) && value is not null
            ? value
            : throw BadRequest(at, $"the element has no merge key \"{key}\"");

    private static bool HasKey(JsonNode? item, string key, JsonNode value) =>
        item is JsonObject obj && obj.TryGetPropertyValue(key, out var v) && v is not null && JsonNode.DeepEquals(v, value);

    private static bool SameKey(JsonNode? a, JsonNode? b, string key) =>
        a is JsonObject obj && obj.TryGetPropertyValue(key, out var value) && value is not null && HasKey(b, key, value);

    // Detaches the elements of a list so they can move into a new one.
    private static List<JsonNode?> TakeAll(JsonArray list)
    {
        var items = list.ToList();
        list.Clear();
        return items;
    }
}
