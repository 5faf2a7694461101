using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

/// <summary>REST paths of a kind (from its one definition in <see cref="KubeKinds"/>), and the list type that a LIST of it decodes into.</summary>
internal sealed class ResourcePaths
{
    private ResourcePaths(KindInfo kind) => Kind = kind;

    public KindInfo Kind { get; }

    /// <summary>e.g. <see cref="PodList"/> for <see cref="Pod"/>; null for kinds that are not listed (Binding).</summary>
    public Type? ListType => Kind.ListType;

    public static ResourcePaths For<T>()
    {
        var kind = KubeKinds.Find(typeof(T));
        if (kind is null || !kind.IsServed)
        {
            throw new ArgumentException($"{typeof(T).Name} is not an API kind that the client serves");
        }

        return new ResourcePaths(kind);
    }

    /// <summary>The collection: <c>/api/v1/namespaces/{ns}/pods</c>, or <c>/api/v1/pods</c> across namespaces; <c>/apis/{group}/{version}/…</c> for named groups.</summary>
    public string Collection(string? ns) => Kind.CollectionPath(ns);

    /// <summary>One object, or one of its subresources.</summary>
    public string Item(string? ns, string name, string? subresource = null) => Kind.ItemPath(ns, name, subresource);

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
}
