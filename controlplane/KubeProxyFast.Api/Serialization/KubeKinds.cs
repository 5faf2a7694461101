using KubeProxyFast.Api.Autoscaling;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Serialization;

/// <summary>What the API serves of one kind: its version, REST resource name and scope.</summary>
/// <param name="ApiVersion">Group/version, e.g. <c>v1</c> or <c>autoscaling/v1</c>.</param>
/// <param name="Kind">Kind, e.g. <c>Pod</c>.</param>
/// <param name="Resource">Plural lower-case resource name, e.g. <c>pods</c>.</param>
/// <param name="Namespaced">True when objects live in a namespace.</param>
/// <param name="Type">The model type.</param>
public sealed record KindInfo(string ApiVersion, string Kind, string Resource, bool Namespaced, Type Type);

/// <summary>The registry of kinds: from (apiVersion, kind) to type, and to REST resource.</summary>
public static class KubeKinds
{
    /// <summary>Every kind this API knows.</summary>
    public static IReadOnlyList<KindInfo> All { get; } =
    [
        new("v1", "Pod", "pods", Namespaced: true, typeof(Pod)),
        new("v1", "ReplicationController", "replicationcontrollers", Namespaced: true, typeof(ReplicationController)),
        new("v1", "Service", "services", Namespaced: true, typeof(Service)),
        new("v1", "Endpoints", "endpoints", Namespaced: true, typeof(Endpoints)),
        new("v1", "Event", "events", Namespaced: true, typeof(Event)),
        new("v1", "Binding", "bindings", Namespaced: true, typeof(Binding)),
        new("v1", "Node", "nodes", Namespaced: false, typeof(Node)),
        new("v1", "Namespace", "namespaces", Namespaced: false, typeof(Namespace)),
        new("autoscaling/v1", "Scale", "scale", Namespaced: true, typeof(Scale)),
    ];

    /// <summary>The kind registered for <paramref name="apiVersion"/> and <paramref name="kind"/>, or null.</summary>
    public static KindInfo? Find(string apiVersion, string kind)
    {
        foreach (var info in All)
        {
            if (info.ApiVersion == apiVersion && info.Kind == kind)
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
