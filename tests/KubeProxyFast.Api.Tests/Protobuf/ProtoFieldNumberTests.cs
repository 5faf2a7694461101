using Google.Protobuf.Reflection;
using KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// A sample of fields whose Kubernetes numbers are easy to get wrong (out of declaration order,
/// deprecated aliases, late additions, the two TypeMetas), asserted against the values in
/// Kubernetes' generated.proto. The whole set is compared by check-against-kubernetes.py.
/// </summary>
public sealed class ProtoFieldNumberTests
{
    private const string Meta = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private const string Core = "k8s.io.api.core.v1.";

    [Theory]
    [InlineData(Meta + "ObjectMeta", "creationTimestamp", 8, FieldType.Message)]
    [InlineData(Meta + "ObjectMeta", "labels", 11, FieldType.Message)]
    [InlineData(Meta + "ObjectMeta", "managedFields", 17, FieldType.Message)]
    [InlineData(Meta + "ListMeta", "continue", 3, FieldType.String)]
    [InlineData(Meta + "ListMeta", "remainingItemCount", 4, FieldType.Int64)]
    [InlineData(Meta + "OwnerReference", "kind", 1, FieldType.String)]
    [InlineData(Meta + "OwnerReference", "apiVersion", 5, FieldType.String)]
    [InlineData(Meta + "StatusDetails", "uid", 6, FieldType.String)]
    [InlineData(Meta + "StatusDetails", "causes", 4, FieldType.Message)]
    [InlineData(Meta + "Status", "code", 6, FieldType.Int32)]
    [InlineData(Meta + "DeleteOptions", "dryRun", 5, FieldType.String)]
    [InlineData(Meta + "WatchEvent", "object", 2, FieldType.Message)]
    [InlineData(Meta + "TypeMeta", "kind", 1, FieldType.String)]
    [InlineData("k8s.io.apimachinery.pkg.runtime.TypeMeta", "apiVersion", 1, FieldType.String)]
    [InlineData("k8s.io.apimachinery.pkg.runtime.Unknown", "raw", 2, FieldType.Bytes)]
    [InlineData("k8s.io.apimachinery.pkg.runtime.Unknown", "contentType", 4, FieldType.String)]
    [InlineData("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "type", 1, FieldType.Int64)]
    [InlineData("k8s.io.apimachinery.pkg.util.intstr.IntOrString", "strVal", 3, FieldType.String)]
    [InlineData(Core + "PodSpec", "serviceAccountName", 8, FieldType.String)]
    [InlineData(Core + "PodSpec", "serviceAccount", 9, FieldType.String)]
    [InlineData(Core + "PodSpec", "initContainers", 20, FieldType.Message)]
    [InlineData(Core + "PodSpec", "priority", 25, FieldType.Int32)]
    [InlineData(Core + "PodSpec", "volumes", 1, FieldType.Message)]
    [InlineData(Core + "PodSpec", "dnsConfig", 26, FieldType.Message)]
    [InlineData(Core + "PodSpec", "enableServiceLinks", 30, FieldType.Bool)]
    [InlineData(Core + "Volume", "volumeSource", 2, FieldType.Message)]
    [InlineData(Core + "VolumeSource", "secret", 6, FieldType.Message)]
    [InlineData(Core + "VolumeSource", "configMap", 19, FieldType.Message)]
    [InlineData(Core + "VolumeMount", "mountPath", 3, FieldType.String)]
    [InlineData(Core + "VolumeMount", "readOnly", 2, FieldType.Bool)]
    [InlineData(Core + "ConfigMapVolumeSource", "localObjectReference", 1, FieldType.Message)]
    [InlineData(Core + "KeyToPath", "mode", 3, FieldType.Int32)]
    [InlineData(Core + "EnvVarSource", "configMapKeyRef", 3, FieldType.Message)]
    [InlineData(Core + "SecretKeySelector", "key", 2, FieldType.String)]
    [InlineData(Core + "Container", "volumeMounts", 9, FieldType.Message)]
    [InlineData(Core + "Container", "startupProbe", 22, FieldType.Message)]
    [InlineData(Core + "PodStatus", "qosClass", 9, FieldType.String)]
    [InlineData(Core + "PodStatus", "podIPs", 12, FieldType.Message)]
    [InlineData(Core + "Container", "imagePullPolicy", 14, FieldType.String)]
    [InlineData(Core + "ContainerPort", "containerPort", 3, FieldType.Int32)]
    [InlineData(Core + "Probe", "handler", 1, FieldType.Message)]
    [InlineData(Core + "ProbeHandler", "tcpSocket", 3, FieldType.Message)]
    [InlineData(Core + "ServiceSpec", "clusterIP", 3, FieldType.String)]
    [InlineData(Core + "ServiceSpec", "sessionAffinity", 7, FieldType.String)]
    [InlineData(Core + "ServiceSpec", "clusterIPs", 18, FieldType.String)]
    [InlineData(Core + "ServicePort", "targetPort", 4, FieldType.Message)]
    [InlineData(Core + "ServicePort", "nodePort", 5, FieldType.Int32)]
    [InlineData(Core + "EndpointAddress", "targetRef", 2, FieldType.Message)]
    [InlineData(Core + "EndpointAddress", "hostname", 3, FieldType.String)]
    [InlineData(Core + "NodeSpec", "podCIDRs", 7, FieldType.String)]
    [InlineData(Core + "DaemonEndpoint", "Port", 1, FieldType.Int32)]
    [InlineData(Core + "Event", "eventTime", 10, FieldType.Message)]
    [InlineData(Core + "Event", "reportingComponent", 14, FieldType.String)]
    [InlineData(Core + "ReplicationControllerSpec", "minReadySeconds", 4, FieldType.Int32)]
    [InlineData(Core + "ReplicationControllerStatus", "observedGeneration", 3, FieldType.Int64)]
    [InlineData(Core + "ConfigMap", "binaryData", 3, FieldType.Message)]
    [InlineData(Core + "ConfigMap", "immutable", 4, FieldType.Bool)]
    [InlineData(Core + "Secret", "type", 3, FieldType.String)]
    [InlineData(Core + "Secret", "stringData", 4, FieldType.Message)]
    [InlineData(Core + "Secret", "immutable", 5, FieldType.Bool)]
    [InlineData("k8s.io.api.coordination.v1.LeaseSpec", "renewTime", 4, FieldType.Message)]
    [InlineData("k8s.io.api.autoscaling.v1.ScaleStatus", "selector", 2, FieldType.String)]
    public void Field_TrickyKubernetesNumber_MatchesKubernetes(string message, string field, int number, FieldType type)
    {
        var descriptor = KubeProtoMessages.Find(message)?.FindFieldByName(field);

        Assert.NotNull(descriptor);
        Assert.Equal((number, type), (descriptor.FieldNumber, descriptor.FieldType));
    }

    [Theory]
    [InlineData(Core + "Secret", "data", FieldType.Bytes)]
    [InlineData(Core + "ConfigMap", "binaryData", FieldType.Bytes)]
    [InlineData(Core + "ConfigMap", "data", FieldType.String)]
    [InlineData(Core + "NodeStatus", "capacity", FieldType.Message)]
    public void MapField_Value_HasKubernetesType(string message, string field, FieldType valueType)
    {
        var descriptor = KubeProtoMessages.Find(message)!.FindFieldByName(field);

        Assert.True(descriptor.IsMap);
        Assert.Equal(valueType, descriptor.MessageType.FindFieldByNumber(2).FieldType);
    }

    [Fact]
    public void SingularFields_Proto2Optional_KeepPresence()
    {
        // proto2 optional as Kubernetes': a scalar set to its zero value (replicas: 0) is
        // distinguishable from an absent one, as JSON's "replicas": 0 is from no replicas.
        var singular = KubeProtoMessages.Files.SelectMany(f => f.MessageTypes).SelectMany(m => m.Fields.InDeclarationOrder()).Where(f => !f.IsRepeated).ToList();

        Assert.NotEmpty(singular);
        Assert.All(singular, f => Assert.True(f.HasPresence, f.FullName));
    }
}
