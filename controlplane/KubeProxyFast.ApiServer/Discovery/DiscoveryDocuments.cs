using System.Text.Json;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Discovery;

/// <summary>
/// The discovery documents kubectl reads before anything else: <c>/api</c> (APIVersions),
/// <c>/api/v1</c> (APIResourceList with verbs, short names and subresources), <c>/apis</c>
/// (APIGroupList) and <c>/version</c>.
/// </summary>
internal static class DiscoveryDocuments
{
    /// <summary>The Kubernetes version whose API this server speaks (kubectl 1.20 warns about skew beyond one minor).</summary>
    public const string KubernetesMajor = "1";
    public const string KubernetesMinor = "20";

    private static readonly string[] ObjectVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];
    private static readonly string[] ProxyVerbs = ["create", "delete", "get", "patch", "update"];

    public static void WriteApiVersions(Utf8JsonWriter writer, string serverAddress)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "APIVersions");
        writer.WriteStartArray("versions");
        writer.WriteStringValue("v1");
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
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteResources(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "APIResourceList");
        writer.WriteString("groupVersion", "v1");
        writer.WriteStartArray("resources");
        Resource(writer, "bindings", "", true, "Binding", ["create"], [], categories: false);
        foreach (var resource in Resources.All)
        {
            Resource(writer, resource.Name, resource.SingularName, resource.Namespaced, resource.Kind, ObjectVerbs, resource.ShortNames,
                categories: resource == Resources.Pods || resource == Resources.Services || resource == Resources.ReplicationControllers);
            foreach (var sub in resource.Subresources)
            {
                var name = resource.Name + "/" + sub;
                switch (sub)
                {
                    case "status":
                        Resource(writer, name, "", resource.Namespaced, resource.Kind, StatusVerbs, [], categories: false);
                        break;
                    case "binding":
                        Resource(writer, name, "", resource.Namespaced, "Binding", ["create"], [], categories: false);
                        break;
                    case "proxy":
                        Resource(writer, name, "", resource.Namespaced, resource.Kind + "ProxyOptions", ProxyVerbs, [], categories: false);
                        break;
                    case "scale":
                        Resource(writer, name, "", resource.Namespaced, "Scale", StatusVerbs, [], categories: false, group: "autoscaling");
                        break;
                }
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteVersion(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("major", KubernetesMajor);
        writer.WriteString("minor", KubernetesMinor);
        writer.WriteString("gitVersion", $"v{KubernetesMajor}.{KubernetesMinor}.0-kpf");
        writer.WriteString("gitCommit", "");
        writer.WriteString("gitTreeState", "clean");
        writer.WriteString("buildDate", "");
        writer.WriteString("goVersion", "dotnet" + Environment.Version);
        writer.WriteString("compiler", "dotnet");
        writer.WriteString("platform", "linux/" + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
        writer.WriteEndObject();
    }

    private static void Resource(
        Utf8JsonWriter writer, string name, string singular, bool namespaced, string kind, IReadOnlyList<string> verbs,
        IReadOnlyList<string> shortNames, bool categories, string? group = null)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("singularName", singular);
        writer.WriteBoolean("namespaced", namespaced);
        if (group is not null)
        {
            writer.WriteString("group", group);
            writer.WriteString("version", "v1");
        }

        writer.WriteString("kind", kind);
        writer.WriteStartArray("verbs");
        foreach (var verb in verbs)
        {
            writer.WriteStringValue(verb);
        }

        writer.WriteEndArray();
        if (shortNames.Count > 0)
        {
            writer.WriteStartArray("shortNames");
            foreach (var shortName in shortNames)
            {
                writer.WriteStringValue(shortName);
            }

            writer.WriteEndArray();
        }

        if (categories)
        {
            writer.WriteStartArray("categories");
            writer.WriteStringValue("all");
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
