using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

/// <summary>REST paths of a kind under <c>/api/v1</c>, and the list type that a LIST of it decodes into.</summary>
internal sealed class ResourcePaths
{
    private ResourcePaths(KindInfo kind, Type? listType)
    {
        Kind = kind;
        ListType = listType;
    }

    public KindInfo Kind { get; }

    /// <summary>e.g. <see cref="PodList"/> for <see cref="Pod"/>; null for kinds that are not listed (Binding).</summary>
    public Type? ListType { get; }

    public static ResourcePaths For<T>()
    {
        var kind = KubeKinds.Find(typeof(T));
        if (kind is null || kind.ApiVersion != "v1")
        {
            throw new ArgumentException($"{typeof(T).Name} is not a v1 API kind that the client serves");
        }

        return new ResourcePaths(kind, ListTypes.GetValueOrDefault(typeof(T)));
    }

    /// <summary>The collection: <c>/api/v1/namespaces/{ns}/pods</c>, or <c>/api/v1/pods</c> across namespaces.</summary>
    public string Collection(string? ns)
    {
        if (!Kind.Namespaced || string.IsNullOrEmpty(ns))
        {
            return "/api/v1/" + Kind.Resource;
        }

        return "/api/v1/namespaces/" + Uri.EscapeDataString(ns) + "/" + Kind.Resource;
    }

    /// <summary>One object, or one of its subresources.</summary>
    public string Item(string? ns, string name, string? subresource = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Kind.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind.Resource} are namespaced: a namespace is required", nameof(ns));
        }

        var path = Collection(ns) + "/" + Uri.EscapeDataString(name);
        return subresource is null ? path : path + "/" + subresource;
    }

    /// <summary>Appends <c>?a=b&amp;c=d</c> for the parameters that have a value.</summary>
    public static string WithQuery(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    private static readonly Dictionary<Type, Type> ListTypes = new()
    {
        [typeof(Pod)] = typeof(PodList),
        [typeof(ReplicationController)] = typeof(ReplicationControllerList),
        [typeof(Service)] = typeof(ServiceList),
        [typeof(Endpoints)] = typeof(EndpointsList),
        [typeof(Event)] = typeof(EventList),
        [typeof(Node)] = typeof(NodeList),
        [typeof(Namespace)] = typeof(NamespaceList),
    };
}
