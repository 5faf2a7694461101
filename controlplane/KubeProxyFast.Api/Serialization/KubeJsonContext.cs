using System.Text.Json.Serialization;
using KubeProxyFast.Api.Authentication;
using KubeProxyFast.Api.Authorization;
using KubeProxyFast.Api.Autoscaling;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Source-generated System.Text.Json metadata for every wire type. Kubernetes' conventions:
/// camelCase names, absent (null) fields omitted, times in RFC 3339 UTC, numbers strict
/// (<c>"3"</c> is not an integer), and a JSON null where the model has no null is an error
/// that names the field rather than a silent default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    Converters = [typeof(Rfc3339TimeJsonConverter), typeof(StringMapJsonConverter), typeof(ByteMapJsonConverter)])]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(PodList))]
[JsonSerializable(typeof(ReplicationController))]
[JsonSerializable(typeof(ReplicationControllerList))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(ServiceList))]
[JsonSerializable(typeof(Endpoints))]
[JsonSerializable(typeof(EndpointsList))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(NamespaceList))]
[JsonSerializable(typeof(Binding))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(EventList))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(ConfigMapList))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(SecretList))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(LeaseList))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(RoleList))]
[JsonSerializable(typeof(ClusterRole))]
[JsonSerializable(typeof(ClusterRoleList))]
[JsonSerializable(typeof(RoleBinding))]
[JsonSerializable(typeof(RoleBindingList))]
[JsonSerializable(typeof(ClusterRoleBinding))]
[JsonSerializable(typeof(ClusterRoleBindingList))]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(SelfSubjectReview))]
[JsonSerializable(typeof(SubjectAccessReview))]
[JsonSerializable(typeof(LocalSubjectAccessReview))]
[JsonSerializable(typeof(SelfSubjectAccessReview))]
[JsonSerializable(typeof(SelfSubjectRulesReview))]
[JsonSerializable(typeof(CertificateSigningRequest))]
[JsonSerializable(typeof(CertificateSigningRequestList))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(WatchEvent))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(LabelSelector))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
