using System.Globalization;
using System.Text;
using Google.Protobuf;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.Cri.V1;
using Container = KubeProxyFast.Api.Core.Container;

namespace KubeProxyFast.Kubelet.PodConfig;

/// <summary>
/// A container's environment as the kubelet's <c>makeEnvironmentVariables</c> makes it: the
/// service-link variables, then the container's <c>env</c> in order — a <c>value</c> with its
/// <c>$(VAR)</c> references expanded against the variables declared before it and the service
/// variables, or a <c>valueFrom</c> source (fieldRef, resourceFieldRef, configMapKeyRef,
/// secretKeyRef). A container variable replaces a service variable of its name. Anything that
/// cannot be resolved is a <see cref="ContainerConfigException"/> with Kubernetes' message.
/// </summary>
public static class ContainerEnvironment
{
    /// <summary>The container's variables, name and value, in the order the runtime gets them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Build(EnvironmentInputs inputs, Container container)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(container);
        var pod = inputs.Pod;
        var serviceEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        var serviceOrder = ServiceEnvironment.For(pod.Metadata.Namespace ?? "", pod.Spec?.EnableServiceLinks ?? true, inputs.Services);
        foreach (var (name, value) in serviceOrder)
        {
            serviceEnv[name] = value;
        }

        // The container's own variables, by name, in declaration order (a repeated name keeps its
        // first place and takes the last value, as Kubernetes' map does).
        var declared = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            string? value;
            if (!string.IsNullOrEmpty(variable.Value))
            {
                value = EnvExpansion.Expand(variable.Value, name =>
                    declared.TryGetValue(name, out var own) ? own : serviceEnv.GetValueOrDefault(name));
            }
            else if (variable.ValueFrom is { } source)
            {
                value = Resolve(inputs, container, source);
                if (value is null)
                {
                    // An optional ConfigMap/Secret or key that is missing: the variable is left out.
                    continue;
                }
            }
            else
            {
                value = "";
            }

            serviceEnv.Remove(variable.Name);
            declared[variable.Name] = value;
        }

        var result = new List<KeyValuePair<string, string>>(serviceOrder.Count + declared.Count);
        result.AddRange(serviceOrder.Where(p => serviceEnv.ContainsKey(p.Key) && !declared.ContainsKey(p.Key)));
        result.AddRange(declared);
        return result;
    }

    /// <summary>The variables as CRI <c>KeyValue</c>s.</summary>
    public static List<KeyValue> ToCri(IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Select(p => new KeyValue { Key = p.Key, Value = ByteString.CopyFromUtf8(p.Value) }).ToList();
    }

    private static string? Resolve(EnvironmentInputs inputs, Container container, EnvVarSource source)
    {
        var pod = inputs.Pod;
        var ns = pod.Metadata.Namespace ?? "";
        if (source.FieldRef is { } fieldRef)
        {
            return FieldValue(inputs, fieldRef);
        }

        if (source.ResourceFieldRef is { } resourceRef)
        {
            return ResourceValue(inputs, container, resourceRef);
        }

        if (source.ConfigMapKeyRef is { } configMapRef)
        {
            var name = configMapRef.Name ?? "";
            var optional = configMapRef.Optional == true;
            if (inputs.GetConfigMap(name) is not { } configMap)
            {
                return optional ? null : throw new ContainerConfigException($"configmap \"{name}\" not found");
            }

            if (configMap.Data?.TryGetValue(configMapRef.Key, out var value) == true)
            {
                return value;
            }

            return optional ? null : throw new ContainerConfigException($"couldn't find key {configMapRef.Key} in ConfigMap {ns}/{name}");
        }

        if (source.SecretKeyRef is { } secretRef)
        {
            var name = secretRef.Name ?? "";
            var optional = secretRef.Optional == true;
            if (inputs.GetSecret(name) is not { } secret)
            {
                return optional ? null : throw new ContainerConfigException($"secret \"{name}\" not found");
            }

            if (secret.Data?.TryGetValue(secretRef.Key, out var bytes) == true)
            {
                return Encoding.UTF8.GetString(bytes);
            }

            return optional ? null : throw new ContainerConfigException($"couldn't find key {secretRef.Key} in Secret {ns}/{name}");
        }

        // A source we do not model (fileKeyRef): Kubernetes' kubelet would read it; we cannot.
        throw new ContainerConfigException("unsupported valueFrom source");
    }

    /// <summary>Kubernetes' <c>podFieldSelectorRuntimeValue</c>: the downward API fields env may read.</summary>
    internal static string FieldValue(EnvironmentInputs inputs, ObjectFieldSelector fieldRef)
    {
        var pod = inputs.Pod;
        var path = fieldRef.FieldPath;
        var subscript = path.IndexOf('[', StringComparison.Ordinal);
        if (subscript > 0 && path.EndsWith("']", StringComparison.Ordinal) && path.Length > subscript + 3 && path[subscript + 1] == '\'')
        {
            var key = path[(subscript + 2)..^2];
            var map = path[..subscript] switch
            {
                "metadata.labels" => pod.Metadata.Labels,
                "metadata.annotations" => pod.Metadata.Annotations,
                _ => throw new ContainerConfigException($"unsupported fieldPath: {path}"),
            };
            return map?.GetValueOrDefault(key) ?? "";
        }

        return path switch
        {
            "metadata.name" => pod.Metadata.Name ?? "",
            "metadata.namespace" => pod.Metadata.Namespace ?? "",
            "metadata.uid" => pod.Metadata.Uid ?? "",
            "spec.nodeName" => pod.Spec?.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec?.ServiceAccountName ?? "",
            "status.hostIP" => inputs.HostIPs.Count > 0 ? inputs.HostIPs[0] : "",
            "status.hostIPs" => string.Join(',', inputs.HostIPs),
            "status.podIP" => inputs.PodIPs.Count > 0 ? inputs.PodIPs[0] : "",
            "status.podIPs" => string.Join(',', inputs.PodIPs),
            _ => throw new ContainerConfigException($"unsupported fieldPath: {path}"),
        };
    }

    /// <summary>
    /// Kubernetes' <c>ExtractContainerResourceValue</c> after <c>defaultPodLimitsForDownwardAPI</c>:
    /// a limit the container does not set is the node's allocatable; a request it does not set is its
    /// limit, else 0. The value is divided by the divisor (default 1) and rounded up.
    /// </summary>
    internal static string ResourceValue(EnvironmentInputs inputs, Container container, ResourceFieldSelector selector)
    {
        var target = container;
        if (!string.IsNullOrEmpty(selector.ContainerName))
        {
            target = inputs.Pod.Spec?.Containers?.FirstOrDefault(c => c.Name == selector.ContainerName)
                ?? throw new ContainerConfigException($"container {selector.ContainerName} not found");
        }

        var dot = selector.Resource.IndexOf('.', StringComparison.Ordinal);
        var kind = dot > 0 ? selector.Resource[..dot] : "";
        var resource = dot > 0 ? selector.Resource[(dot + 1)..] : "";
        if (kind is not ("limits" or "requests") || resource is not ("cpu" or "memory" or "ephemeral-storage"))
        {
            throw new ContainerConfigException($"unsupported container resource : {selector.Resource}");
        }

        var limits = target.Resources?.Limits;
        var requests = target.Resources?.Requests;
        Quantity value;
        if (kind == "limits")
        {
            value = limits is not null && limits.TryGetValue(resource, out var limit) ? limit
                : inputs.NodeAllocatable.TryGetValue(resource, out var allocatable) ? allocatable : default;
        }
        else
        {
            value = requests is not null && requests.TryGetValue(resource, out var request) ? request
                : limits is not null && limits.TryGetValue(resource, out var limit) ? limit : default;
        }

        var divisor = selector.Divisor is { IsZero: false } d ? d : Quantity.FromValue(1, QuantityFormat.DecimalSI);
        long result;
        if (resource == "cpu")
        {
            result = CeilingDivide(value.MilliValue, divisor.MilliValue);
        }
        else
        {
            result = CeilingDivide(value.Value, divisor.Value);
        }

        return result.ToString(CultureInfo.InvariantCulture);
    }

    private static long CeilingDivide(long value, long divisor) =>
        divisor <= 0 ? 0 : (long)Math.Ceiling(value / (double)divisor);
}
