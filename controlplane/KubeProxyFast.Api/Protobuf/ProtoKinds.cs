using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>The protobuf message of an (apiVersion, kind): a served kind, its list, or one of meta/v1's (Status, DeleteOptions).</summary>
public static class ProtoKinds
{
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1";

    /// <summary>The message of <paramref name="kind"/> in <paramref name="apiVersion"/>, or null when none is declared.</summary>
    public static ProtoMessage? Find(string apiVersion, string kind)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        ArgumentNullException.ThrowIfNull(kind);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var groupVersion = slash < 0 ? new GroupVersion("", apiVersion) : new GroupVersion(apiVersion[..slash], apiVersion[(slash + 1)..]);
        var descriptor = KubeProtoMessages.Find(KubeProtoMessages.Package(groupVersion) + "." + kind);
        if (descriptor is null && kind is "Status" or "DeleteOptions" or "WatchEvent" && (apiVersion is "v1" or "meta.k8s.io/v1" || KubeKinds.Find(apiVersion, kind) is null))
        {
            // meta/v1 kinds are served in every group version.
            descriptor = KubeProtoMessages.Find(MetaPackage + "." + kind);
        }

        return descriptor is null ? null : ProtoMessage.For(descriptor);
    }
}
