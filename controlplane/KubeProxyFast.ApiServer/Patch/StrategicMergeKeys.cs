using System.Collections.Frozen;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// Which list fields of a kind strategic merge patch merges, and by what key: the
/// <c>patchStrategy</c>/<c>patchMergeKey</c> tags of <c>k8s.io/api/core/v1/types.go</c> and
/// <c>metav1.ObjectMeta</c> for the kinds this apiserver serves. A field is named by its path from
/// the object root, with <c>[]</c> for "an element of": <c>spec.containers[].ports</c>. Lists not
/// named here are replaced whole (the default for an untagged field, e.g. tolerations, taints,
/// Endpoints subsets); objects always merge.
/// </summary>
internal sealed class StrategicMergeKeys
{
    private static readonly (string Field, string? Key)[] s_objectMeta = [("finalizers", null), ("ownerReferences", "uid")];

    private static readonly (string Field, string? Key)[] s_container =
        [("ports", "containerPort"), ("env", "name"), ("volumeMounts", "mountPath"), ("volumeDevices", "devicePath")];

    private static readonly (string Field, string? Key)[] s_podSpec =
    [
        ("containers", "name"), ("initContainers", "name"), ("ephemeralContainers", "name"),
        ("volumes", "name"), ("imagePullSecrets", "name"), ("hostAliases", "ip"),
        ("topologySpreadConstraints", "topologyKey"), ("schedulingGates", "name"), ("resourceClaims", "name"),
    ];

    private static readonly (string Field, string? Key)[] s_conditions = [("conditions", "type")];

    private static readonly FrozenDictionary<string, StrategicMergeKeys> s_byKind = new Dictionary<string, StrategicMergeKeys>
    {
        ["Pod"] = new Builder().Metadata("metadata").PodSpec("spec")
            .Add("status", [("conditions", "type"), ("podIPs", "ip"), ("hostIPs", "ip")]).Build(),
        ["ReplicationController"] = new Builder().Metadata("metadata")
            .Metadata("spec.template.metadata").PodSpec("spec.template.spec").Add("status", s_conditions).Build(),
        ["Service"] = new Builder().Metadata("metadata").Add("spec", [("ports", "port")]).Add("status", s_conditions).Build(),
        ["Node"] = new Builder().Metadata("metadata").Add("spec", [("podCIDRs", null)])
            .Add("status", [("conditions", "type"), ("addresses", "type")]).Build(),
        ["Namespace"] = new Builder().Metadata("metadata").Add("status", s_conditions).Build(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Endpoints (subsets are untagged), Event, Binding, Scale and any kind not listed: only what
    // every object has.
    private static readonly StrategicMergeKeys s_metadataOnly = new Builder().Metadata("metadata").Build();

    private readonly FrozenDictionary<string, ListMerge> _lists;

    private StrategicMergeKeys(FrozenDictionary<string, ListMerge> lists)
    {
        _lists = lists;
    }

    /// <summary>The merge rules of <paramref name="kind"/> (e.g. <c>Pod</c>).</summary>
    public static StrategicMergeKeys ForKind(string kind) => s_byKind.GetValueOrDefault(kind, s_metadataOnly);

    /// <summary>How the list at <paramref name="path"/> merges, or null when it is replaced whole.</summary>
    public ListMerge? Find(string path) => _lists.TryGetValue(path, out var merge) ? merge : null;

    private sealed class Builder
    {
        private readonly Dictionary<string, ListMerge> _lists = new(StringComparer.Ordinal);

        public Builder Metadata(string at) => Add(at, s_objectMeta);

        public Builder PodSpec(string at)
        {
            Add(at, s_podSpec);
            foreach (var containers in (ReadOnlySpan<string>)["containers", "initContainers", "ephemeralContainers"])
            {
                Add($"{at}.{containers}[]", s_container);
            }

            return this;
        }

        public Builder Add(string at, (string Field, string? Key)[] fields)
        {
            foreach (var (field, key) in fields)
            {
                _lists.Add($"{at}.{field}", new ListMerge(key));
            }

            return this;
        }

        public StrategicMergeKeys Build() => new(_lists.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
