using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>
/// Schema names as Kubernetes' Go packages give them (<c>io.k8s.api.core.v1.Container</c>,
/// <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>): clients and <c>kubectl explain</c>
/// show the last segment as the field's type. A model namespace takes the group and version of
/// the kinds declared in it, so a new kind's types are named without a list to update.
/// </summary>
internal static class SchemaNames
{
    /// <summary>Prefix of metav1 types.</summary>
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    /// <summary>metav1.Time.</summary>
    public const string Time = Meta + "Time";

    /// <summary>metav1.MicroTime.</summary>
    public const string MicroTime = Meta + "MicroTime";

    /// <summary>intstr.IntOrString.</summary>
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

    /// <summary>resource.Quantity.</summary>
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private static readonly Dictionary<string, string> PackageOfNamespace = KubeKinds.All
        .GroupBy(k => k.Type.Namespace!)
        .ToDictionary(g => g.Key, g => "io.k8s.api." + Package(g.First().GroupVersion) + "." + g.First().Version + ".", StringComparer.Ordinal);

    /// <summary>The schema name of a model type.</summary>
    public static string Of(Type type)
    {
        if (type == typeof(IntOrString))
        {
            return IntOrString;
        }

        if (type == typeof(Quantity))
        {
            return Quantity;
        }

        if (type.Namespace == typeof(ObjectMeta).Namespace)
        {
            return Meta + type.Name;
        }

        return PackageOfNamespace.TryGetValue(type.Namespace!, out var package)
            ? package + type.Name
            : throw new InvalidOperationException($"{type.FullName} is in no namespace of a kind; name its schema package here");
    }

    /// <summary>The Go package of a group: <c>core</c>, <c>coordination</c> (coordination.k8s.io).</summary>
    public static string Package(GroupVersion groupVersion) => groupVersion.IsCore ? "core" : groupVersion.Group.Split('.')[0];
}
