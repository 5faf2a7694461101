using Google.Protobuf.Reflection;
using KubeProxyFast.Api.Protobuf.Authentication;
using KubeProxyFast.Api.Protobuf.Authorization;
using KubeProxyFast.Api.Protobuf.Autoscaling;
using KubeProxyFast.Api.Protobuf.Certificates;
using KubeProxyFast.Api.Protobuf.Coordination;
using KubeProxyFast.Api.Protobuf.Core;
using KubeProxyFast.Api.Protobuf.IntStr;
using KubeProxyFast.Api.Protobuf.Meta;
using KubeProxyFast.Api.Protobuf.Rbac;
using KubeProxyFast.Api.Protobuf.Resource;
using KubeProxyFast.Api.Protobuf.Runtime;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Api.Protobuf;

/// <summary>
/// The protobuf descriptors of every served kind (the <c>.proto</c> files beside this one): the
/// message of a kind is <c>{package of its group version}.{Kind}</c>, as in Kubernetes, and each
/// field is named as our model's JSON property, so a transcoder maps JSON names to field numbers
/// through the descriptor alone.
/// </summary>
public static class KubeProtoMessages
{
    /// <summary>Marks a field whose message is inlined into its parent's JSON object (Go's <c>json:",inline"</c>).</summary>
    public static Google.Protobuf.Extension<FieldOptions, bool> InlineOption => KpfOptionsExtensions.Inline;

    /// <summary>
    /// True when <paramref name="field"/>'s message is inlined into its parent's JSON object (Go's
    /// <c>json:",inline"</c>, marked <c>(kubeproxyfast.protobuf.inline)</c>): its fields' JSON
    /// names are the parent's, e.g. Probe's <c>exec</c> lives in Probe.handler.
    /// </summary>
    public static bool IsInline(FieldDescriptor field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.GetOptions()?.GetExtension(InlineOption) == true;
    }

    /// <summary>
    /// The JSON names of Kubernetes' fields of <paramref name="message"/> that are left out because
    /// their type is a message we do not model (<c>(kubeproxyfast.protobuf.unmodelled)</c>), those
    /// of its inline fields' messages included, as JSON sees them.
    /// </summary>
    public static IEnumerable<string> Unmodelled(MessageDescriptor message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var own = message.GetOptions()?.GetExtension(KpfOptionsExtensions.Unmodelled) ?? [];
        return own.Concat(message.Fields.InDeclarationOrder().Where(IsInline).SelectMany(f => Unmodelled(f.MessageType)));
    }

    /// <summary>The fields of <paramref name="message"/> as JSON sees them: an inline field's message's fields in its place.</summary>
    public static IEnumerable<FieldDescriptor> JsonFields(MessageDescriptor message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Fields.InDeclarationOrder().SelectMany(f => IsInline(f) ? JsonFields(f.MessageType) : [f]);
    }

    /// <summary>The field named <paramref name="jsonName"/>, looking into inline fields' messages as JSON does; null when none.</summary>
    public static FieldDescriptor? FindByJsonName(MessageDescriptor message, string jsonName)
    {
        ArgumentNullException.ThrowIfNull(message);
        var direct = message.FindFieldByName(jsonName);
        if (direct is not null && !IsInline(direct))
        {
            return direct;
        }

        return message.Fields.InDeclarationOrder()
            .Where(IsInline)
            .Select(f => FindByJsonName(f.MessageType, jsonName))
            .FirstOrDefault(f => f is not null);
    }

    /// <summary>Every file, dependencies first.</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } =
    [
        RuntimeReflection.Descriptor, IntstrReflection.Descriptor, ResourceReflection.Descriptor, MetaV1Reflection.Descriptor,
        CoreV1ReferenceReflection.Descriptor, CoreV1VolumeReflection.Descriptor, CoreV1ContainerReflection.Descriptor, CoreV1PodReflection.Descriptor,
        CoreV1NamespaceReflection.Descriptor, CoreV1ConfigmapReflection.Descriptor, CoreV1SecretReflection.Descriptor,
        CoreV1BindingReflection.Descriptor, CoreV1NodeReflection.Descriptor, CoreV1ServiceReflection.Descriptor,
        CoreV1EndpointsReflection.Descriptor, CoreV1EventReflection.Descriptor, CoreV1ReplicationcontrollerReflection.Descriptor,
        CoordinationV1Reflection.Descriptor, AutoscalingV1Reflection.Descriptor, RbacV1Reflection.Descriptor,
        AuthenticationV1Reflection.Descriptor, AuthorizationV1Reflection.Descriptor, CertificatesV1Reflection.Descriptor,
    ];

    private static readonly Dictionary<string, MessageDescriptor> ByFullName =
        Files.SelectMany(f => f.MessageTypes).SelectMany(Nested).ToDictionary(m => m.FullName, StringComparer.Ordinal);

    /// <summary>The message named <paramref name="fullName"/> (e.g. <c>k8s.io.api.core.v1.Pod</c>), or null.</summary>
    public static MessageDescriptor? Find(string fullName) => ByFullName.GetValueOrDefault(fullName);

    /// <summary>The message of <paramref name="kind"/>'s objects, or null when none is declared.</summary>
    public static MessageDescriptor? ForKind(KindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Find(Package(kind.GroupVersion) + "." + kind.Kind);
    }

    /// <summary>The message of <paramref name="kind"/>'s lists, or null when it has no lists or none is declared.</summary>
    public static MessageDescriptor? ForListKind(KindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.ListKind is null ? null : Find(Package(kind.GroupVersion) + "." + kind.ListKind);
    }

    /// <summary>
    /// Kubernetes' proto package of a group version of k8s.io/api: the core group is
    /// <c>k8s.io.api.core.v1</c>, a named group takes its first label
    /// (<c>coordination.k8s.io/v1</c> → <c>k8s.io.api.coordination.v1</c>).
    /// </summary>
    public static string Package(GroupVersion groupVersion)
    {
        var group = groupVersion.IsCore ? "core" : groupVersion.Group.Split('.')[0];
        return "k8s.io.api." + group + "." + groupVersion.Version;
    }

    private static IEnumerable<MessageDescriptor> Nested(MessageDescriptor message) =>
        message.NestedTypes.SelectMany(Nested).Prepend(message);
}
