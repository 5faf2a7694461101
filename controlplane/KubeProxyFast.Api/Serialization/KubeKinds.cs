using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// The one definition of every kind this API knows (<see cref="KindInfo"/>): from (apiVersion,
/// kind) to type for decoding, from type to REST paths for the client, and the resources, verbs
/// and subresources the apiserver routes and lists in discovery.
/// </summary>
public static partial class KubeKinds
{
    /// <summary>The kinds served as resources of <paramref name="groupVersion"/>, in discovery order.</summary>
    public static IReadOnlyList<KindInfo> ServedIn(GroupVersion groupVersion) =>
        All.Where(k => k.IsServed && k.GroupVersion == groupVersion).ToArray();

    /// <summary>The kind registered for <paramref name="apiVersion"/> and <paramref name="kind"/>, or null.</summary>
    public static KindInfo? Find(string apiVersion, string kind)
    {
        foreach (var info in All)
        {
            if (info.Kind == kind && info.ApiVersion == apiVersion)
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>The kind of a model type, or null when the type is not an API kind.</summary>
    public static KindInfo? Find(Type type)
    {
        foreach (var info in All)
        {
            if (info.Type == type)
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>Sets <c>apiVersion</c> and <c>kind</c> of <paramref name="obj"/> from its type.</summary>
    public static T WithTypeMeta<T>(T obj)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        var info = Find(obj.GetType()) ?? throw new ArgumentException($"{obj.GetType().Name} is not an API kind", nameof(obj));
        obj.ApiVersion = info.ApiVersion;
        obj.Kind = info.Kind;
        return obj;
    }
}
