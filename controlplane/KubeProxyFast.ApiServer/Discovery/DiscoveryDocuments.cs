using System.Text.Json;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.Discovery;

/// <summary>
/// The legacy discovery documents, all read from the kinds' one definition (<see cref="KubeKinds"/>):
/// <c>/api</c> (APIVersions), <c>/apis</c> (APIGroupList), <c>/apis/{group}</c> (APIGroup),
/// <c>/api/v1</c> and <c>/apis/{group}/{version}</c> (APIResourceList with verbs, short names and
/// subresources), and <c>/version</c>. The aggregated document is <see cref="AggregatedDiscovery"/>.
/// </summary>
internal static class DiscoveryDocuments
{
    /// <summary>The named groups served, each with its versions, preferred first.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<GroupVersion> Versions)> Groups { get; } =
        KubeKinds.ServedGroupVersions.Where(gv => !gv.IsCore)
            .GroupBy(gv => gv.Group)
            .Select(g => (g.Key, (IReadOnlyList<GroupVersion>)g.ToArray()))
            .ToArray();

    /// <summary>True when <paramref name="groupVersion"/> serves resources.</summary>
    public static bool IsServed(GroupVersion groupVersion) => KubeKinds.ServedGroupVersions.Contains(groupVersion);

    /// <summary>The versions of the named group <paramref name="group"/>, or null when it is not served.</summary>
    public static IReadOnlyList<GroupVersion>? VersionsOf(string group)
    {
        foreach (var (name, versions) in Groups)
        {
            if (name == group)
            {
                return versions;
            }
        }

        return null;
    }

    public static void WriteApiVersions(Utf8JsonWriter writer, string serverAddress)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "APIVersions");
        writer.WriteStartArray("versions");
        foreach (var gv in KubeKinds.ServedGroupVersions)
        {
            if (gv.IsCore)
            {
                writer.WriteStringValue(gv.Version);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("serverAddressByClientCIDRs");
        writer.WriteStartObject();
        writer.WriteString("clientCIDR", "0.0.0.0/0");
        writer.WriteString("serverAddress", serverAddress);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteApiGroups(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "APIGroupList");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartArray("groups");
        foreach (var (name, versions) in Groups)
        {
            writer.WriteStartObject();
            WriteGroupBody(writer, name, versions);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>APIGroup of one named group: its versions and the preferred one.</summary>
    public static void WriteApiGroup(Utf8JsonWriter writer, string name, IReadOnlyList<GroupVersion> versions)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "APIGroup");
        writer.WriteString("apiVersion", "v1");
        WriteGroupBody(writer, name, versions);
        writer.WriteEndObject();
    }

    /// <summary>APIResourceList of one group version: each resource, then its subresources.</summary>
    public static void WriteResources(Utf8JsonWriter writer, GroupVersion groupVersion)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "APIResourceList");
        writer.WriteString("apiVersion", "v1");
        writer.WriteString("groupVersion", groupVersion.ToString());
        writer.WriteStartArray("resources");
        foreach (var kind in KubeKinds.ServedIn(groupVersion))
        {
            Resource(writer, kind.Resource, kind.SingularName, kind.Namespaced, null, kind.Kind, kind.Verbs, kind.ShortNames, kind.Categories);
            foreach (var sub in kind.Subresources)
            {
                // A subresource answering in another group version (autoscaling/v1 Scale) names it.
                var other = sub.ResponseKind == groupVersion ? (GroupVersion?)null : sub.ResponseKind;
                Resource(writer, kind.Resource + "/" + sub.Name, "", kind.Namespaced, other, sub.Kind, sub.Verbs, [], []);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>/version</c>: apimachinery's version.Info, fields in its order. A build without a date
    /// reports Kubernetes' own unset default, the epoch.
    /// </summary>
    public static void WriteVersion(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("major", KubernetesVersion.Major);
        writer.WriteString("minor", KubernetesVersion.Minor);
        writer.WriteString("gitVersion", KubernetesVersion.GitVersion);
        writer.WriteString("gitCommit", KubernetesVersion.Commit);
        writer.WriteString("gitTreeState", "clean");
        writer.WriteString("buildDate", "1970-01-01T00:00:00Z");
        writer.WriteString("goVersion", "dotnet" + Environment.Version);
        writer.WriteString("compiler", "dotnet");
        writer.WriteString("platform", KubernetesVersion.Platform);
        writer.WriteEndObject();
    }

    /// <summary>Writes a list of strings; nothing when <paramref name="values"/> is empty and <paramref name="omitEmpty"/>.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values, bool omitEmpty)
    {
        if (values.Count == 0 && omitEmpty)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteGroupBody(Utf8JsonWriter writer, string name, IReadOnlyList<GroupVersion> versions)
    {
        writer.WriteString("name", name);
        writer.WriteStartArray("versions");
        foreach (var version in versions)
        {
            WriteGroupVersionForDiscovery(writer, version);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("preferredVersion");
        WriteGroupVersionForDiscovery(writer, versions[0]);
    }

    private static void WriteGroupVersionForDiscovery(Utf8JsonWriter writer, GroupVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("groupVersion", version.ToString());
        writer.WriteString("version", version.Version);
        writer.WriteEndObject();
    }

    private static void Resource(
        Utf8JsonWriter writer, string name, string singular, bool namespaced, GroupVersion? other, string kind, IReadOnlyList<string> verbs,
        IReadOnlyList<string> shortNames, IReadOnlyList<string> categories)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("singularName", singular);
        writer.WriteBoolean("namespaced", namespaced);
        if (other is { } gv)
        {
            writer.WriteString("group", gv.Group);
            writer.WriteString("version", gv.Version);
        }

        writer.WriteString("kind", kind);
        WriteStrings(writer, "verbs", verbs, omitEmpty: false);
        WriteStrings(writer, "shortNames", shortNames, omitEmpty: true);
        WriteStrings(writer, "categories", categories, omitEmpty: true);
        writer.WriteEndObject();
    }
}
