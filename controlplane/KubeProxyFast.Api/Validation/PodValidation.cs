using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of pods and pod specs (the parts of Kubernetes' ValidatePodSpec this model has).</summary>
public static class PodValidation
{
    private static readonly string[] RestartPolicyValues = [RestartPolicies.Always, RestartPolicies.OnFailure, RestartPolicies.Never];
    private static readonly string[] DnsPolicyValues =
        [DnsPolicies.ClusterFirst, DnsPolicies.ClusterFirstWithHostNet, DnsPolicies.Default, DnsPolicies.None];
    private static readonly string[] SchemeValues = ["HTTP", "HTTPS"];
    private static readonly string[] PullPolicyValues = ["Always", "IfNotPresent", "Never"];

    // Kubernetes' validEnvDownwardAPIFieldPathExpressions: the fields an env fieldRef may name
    // (besides metadata.labels['k'] and metadata.annotations['k']; the whole maps only in volumes).
    private static readonly string[] FieldRefPaths =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    // Kubernetes' validEnvDownwardAPIResourceFieldSelectors.
    private static readonly string[] ResourceFieldRefResources =
        ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

    private static readonly string[] CpuDivisors = ["1m", "1"];
    private static readonly string[] ByteDivisors = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];

    /// <summary>Validates a pod.</summary>
    public static IReadOnlyList<FieldError> Validate(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(pod.Metadata, namespaced: true, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        if (pod.Spec is null)
        {
            errors.Add(FieldError.Required(FieldPath.Root("spec")));
        }
        else
        {
            ValidateSpec(pod.Spec, FieldPath.Root("spec"), errors);
        }

        if (pod.Status is { } status)
        {
            ValidateStatusIPs(status, FieldPath.Root("status"), errors);
        }

        return errors;
    }

    /// <summary>Validates a pod spec at <paramref name="path"/>.</summary>
    public static void ValidateSpec(PodSpec spec, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(errors);
        var volumes = PodVolumeValidation.ValidateVolumes(spec.Volumes, path.Child("volumes"), errors);
        ValidateContainers(spec, volumes, path.Child("containers"), errors);

        if (spec.RestartPolicy is not null && Array.IndexOf(RestartPolicyValues, spec.RestartPolicy) < 0)
        {
            errors.Add(FieldError.NotSupported(path.Child("restartPolicy"), spec.RestartPolicy, RestartPolicyValues));
        }

        if (spec.DnsPolicy is not null && Array.IndexOf(DnsPolicyValues, spec.DnsPolicy) < 0)
        {
            errors.Add(FieldError.NotSupported(path.Child("dnsPolicy"), spec.DnsPolicy, DnsPolicyValues));
        }

        PodVolumeValidation.ValidateDnsConfig(spec.DnsConfig, spec.DnsPolicy, path.Child("dnsConfig"), errors);

        NonNegative(spec.TerminationGracePeriodSeconds, path.Child("terminationGracePeriodSeconds"), errors);
        if (spec.ActiveDeadlineSeconds is <= 0)
        {
            errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), spec.ActiveDeadlineSeconds, "must be greater than 0"));
        }

        ObjectMetaValidation.ValidateLabels(spec.NodeSelector, path.Child("nodeSelector"), errors);
        PodSchedulingValidation.ValidateAffinity(spec.Affinity, path.Child("affinity"), errors);
        PodSchedulingValidation.ValidateTolerations(spec.Tolerations, path.Child("tolerations"), errors);

        if (!string.IsNullOrEmpty(spec.NodeName))
        {
            foreach (var message in NameValidation.IsDns1123Subdomain(spec.NodeName))
            {
                errors.Add(FieldError.Invalid(path.Child("nodeName"), spec.NodeName, message));
            }
        }

        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            foreach (var message in NameValidation.IsDns1123Label(spec.Hostname))
            {
                errors.Add(FieldError.Invalid(path.Child("hostname"), spec.Hostname, message));
            }
        }
    }

    /// <summary>
    /// Kubernetes' <c>validatePodIPs</c>: every pod IP is an IP address, with no duplicates, and
    /// <c>podIP</c> is the first of <c>podIPs</c> (v1 conversion keeps the two in step); the host IP
    /// is an IP address too. The pod proxy connects to <c>podIP</c>, so nothing else may stand there.
    /// </summary>
    private static void ValidateStatusIPs(PodStatus status, FieldPath path, List<FieldError> errors)
    {
        if (!string.IsNullOrEmpty(status.HostIP))
        {
            foreach (var message in NameValidation.IsValidIP(status.HostIP))
            {
                errors.Add(FieldError.Invalid(path.Child("hostIP"), status.HostIP, message));
            }
        }

        if (!string.IsNullOrEmpty(status.PodIP))
        {
            foreach (var message in NameValidation.IsValidIP(status.PodIP))
            {
                errors.Add(FieldError.Invalid(path.Child("podIP"), status.PodIP, message));
            }
        }

        if (status.PodIPs is not { Count: > 0 } podIPs)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < podIPs.Count; i++)
        {
            var ip = podIPs[i].Ip ?? "";
            var at = path.Child("podIPs").Index(i).Child("ip");
            foreach (var message in NameValidation.IsValidIP(ip))
            {
                errors.Add(FieldError.Invalid(at, ip, message));
            }

            if (!seen.Add(ip))
            {
                errors.Add(FieldError.Duplicate(at, ip));
            }
        }

        if (!string.IsNullOrEmpty(status.PodIP) && podIPs[0].Ip != status.PodIP)
        {
            errors.Add(FieldError.Invalid(path.Child("podIP"), status.PodIP, "must match the first entry of `status.podIPs`"));
        }
    }

    private static void ValidateContainers(PodSpec spec, HashSet<string> volumes, FieldPath path, List<FieldError> errors)
    {
        if (spec.Containers is not { Count: > 0 } containers)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var at = path.Index(i);
            if (container.Name.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }
            else
            {
                foreach (var message in NameValidation.IsDns1123Label(container.Name))
                {
                    errors.Add(FieldError.Invalid(at.Child("name"), container.Name, message));
                }

                if (!names.Add(container.Name))
                {
                    errors.Add(FieldError.Duplicate(at.Child("name"), container.Name));
                }
            }

            if (string.IsNullOrWhiteSpace(container.Image))
            {
                errors.Add(FieldError.Required(at.Child("image")));
            }

            if (container.ImagePullPolicy is not null && Array.IndexOf(PullPolicyValues, container.ImagePullPolicy) < 0)
            {
                errors.Add(FieldError.NotSupported(at.Child("imagePullPolicy"), container.ImagePullPolicy, PullPolicyValues));
            }

            ValidateContainerPorts(container, spec.HostNetwork == true, portNames, at.Child("ports"), errors);
            ValidateEnv(container.Env, at.Child("env"), errors);
            ValidateResources(container.Resources, at.Child("resources"), errors);
            ValidateProbe(container.LivenessProbe, at.Child("livenessProbe"), errors);
            ValidateProbe(container.ReadinessProbe, at.Child("readinessProbe"), errors);
            ValidateProbe(container.StartupProbe, at.Child("startupProbe"), errors);
            if (container.LivenessProbe?.SuccessThreshold is > 1)
            {
                errors.Add(FieldError.Invalid(
                    at.Child("livenessProbe").Child("successThreshold"), container.LivenessProbe.SuccessThreshold, "must be 1"));
            }

            if (container.StartupProbe?.SuccessThreshold is > 1)
            {
                errors.Add(FieldError.Invalid(
                    at.Child("startupProbe").Child("successThreshold"), container.StartupProbe.SuccessThreshold, "must be 1"));
            }

            PodVolumeValidation.ValidateVolumeMounts(container.VolumeMounts, volumes, at.Child("volumeMounts"), errors);
        }
    }

    private static void ValidateContainerPorts(
        Container container, bool hostNetwork, HashSet<string> podPortNames, FieldPath path, List<FieldError> errors)
    {
        if (container.Ports is null)
        {
            return;
        }

        for (var i = 0; i < container.Ports.Count; i++)
        {
            var port = container.Ports[i];
            var at = path.Index(i);
            if (!string.IsNullOrEmpty(port.Name))
            {
                PortValidation.Name(port.Name, at.Child("name"), errors);
                if (!podPortNames.Add(port.Name))
                {
                    errors.Add(FieldError.Duplicate(at.Child("name"), port.Name));
                }
            }

            if (port.Number == 0)
            {
                errors.Add(FieldError.Required(at.Child("containerPort")));
            }
            else
            {
                PortValidation.Number(port.Number, at.Child("containerPort"), errors);
            }

            if (port.HostPort is { } hostPort and not 0)
            {
                PortValidation.Number(hostPort, at.Child("hostPort"), errors);
                if (hostNetwork && hostPort != port.Number)
                {
                    errors.Add(FieldError.Invalid(
                        at.Child("hostPort"), hostPort, "must match `containerPort` when `hostNetwork` is true"));
                }
            }

            PortValidation.Protocol(port.Protocol, at.Child("protocol"), errors);
            if (!string.IsNullOrEmpty(port.HostIP))
            {
                PortValidation.IPv4(port.HostIP, at.Child("hostIP"), errors);
            }
        }
    }

    private static void ValidateEnv(List<EnvVar>? env, FieldPath path, List<FieldError> errors)
    {
        if (env is null)
        {
            return;
        }

        for (var i = 0; i < env.Count; i++)
        {
            var variable = env[i];
            var at = path.Index(i);
            if (variable.Name.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }
            else if (!IsEnvVarName(variable.Name))
            {
                errors.Add(FieldError.Invalid(at.Child("name"), variable.Name,
                    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', " +
                    "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', " +
                    "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"));
            }

            if (variable.ValueFrom is { } source)
            {
                // The sources we do not model (fileKeyRef) are kept as written in UnknownFields; they
                // count as sources, as Kubernetes counts them.
                var sources = (source.FieldRef is null ? 0 : 1) + (source.ResourceFieldRef is null ? 0 : 1) +
                              (source.ConfigMapKeyRef is null ? 0 : 1) + (source.SecretKeyRef is null ? 0 : 1) +
                              (source.UnknownFields?.Keys.Count(ModelMessages.KubernetesOnly(typeof(EnvVarSource)).ContainsKey) ?? 0);
                if (sources == 0)
                {
                    errors.Add(FieldError.Invalid(at.Child("valueFrom"), "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
                }
                else if (!string.IsNullOrEmpty(variable.Value))
                {
                    errors.Add(FieldError.Invalid(at.Child("valueFrom"), "", "may not be specified when `value` is not empty"));
                }
                else if (sources > 1)
                {
                    errors.Add(FieldError.Invalid(at.Child("valueFrom"), "", "may not have more than one field specified at a time"));
                }

                if (source.FieldRef is not null)
                {
                    ValidateFieldRef(source.FieldRef, at.Child("valueFrom").Child("fieldRef"), errors);
                }

                if (source.ResourceFieldRef is not null)
                {
                    ValidateResourceFieldRef(source.ResourceFieldRef, at.Child("valueFrom").Child("resourceFieldRef"), errors);
                }

                if (source.ConfigMapKeyRef is not null)
                {
                    ValidateKeySelector(source.ConfigMapKeyRef, at.Child("valueFrom").Child("configMapKeyRef"), errors);
                }

                if (source.SecretKeyRef is not null)
                {
                    ValidateKeySelector(source.SecretKeyRef, at.Child("valueFrom").Child("secretKeyRef"), errors);
                }
            }
        }
    }

    private static void ValidateFieldRef(ObjectFieldSelector fieldRef, FieldPath path, List<FieldError> errors)
    {
        if (fieldRef.ApiVersion is { Length: > 0 } version && version != "v1")
        {
            errors.Add(FieldError.NotSupported(path.Child("apiVersion"), version, ["v1"]));
        }

        var fieldPath = fieldRef.FieldPath;
        if (fieldPath.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("fieldPath")));
            return;
        }

        // metadata.labels['key'] and metadata.annotations['key'] select one entry.
        var subscript = fieldPath.IndexOf('[', StringComparison.Ordinal);
        if (subscript > 0)
        {
            var map = fieldPath[..subscript];
            var valid = (map is "metadata.labels" or "metadata.annotations") &&
                        fieldPath.EndsWith("']", StringComparison.Ordinal) &&
                        fieldPath.Length > subscript + 4 && fieldPath[subscript + 1] == '\'';
            if (!valid)
            {
                errors.Add(FieldError.Invalid(path.Child("fieldPath"), fieldPath, "error converting fieldPath: field label not supported"));
            }
            else
            {
                var key = fieldPath[(subscript + 2)..^2];
                foreach (var message in NameValidation.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid(path.Child("fieldPath"), fieldPath, message));
                }
            }

            return;
        }

        if (Array.IndexOf(FieldRefPaths, fieldPath) < 0)
        {
            errors.Add(FieldError.NotSupported(path.Child("fieldPath"), fieldPath, FieldRefPaths));
        }
    }

    /// <summary>Kubernetes' <c>validateContainerResourceFieldSelector</c> and <c>validateContainerResourceDivisor</c> for env.</summary>
    private static void ValidateResourceFieldRef(ResourceFieldSelector selector, FieldPath path, List<FieldError> errors)
    {
        var resource = selector.Resource;
        if (resource.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("resource")));
            return;
        }

        var hugePages = resource.StartsWith("limits.hugepages-", StringComparison.Ordinal) || resource.StartsWith("requests.hugepages-", StringComparison.Ordinal);
        if (Array.IndexOf(ResourceFieldRefResources, resource) < 0 && !hugePages)
        {
            errors.Add(FieldError.NotSupported(path.Child("resource"), resource, ResourceFieldRefResources));
            return;
        }

        if (selector.Divisor is not { IsZero: false } divisor)
        {
            return;
        }

        // Kubernetes reports the resource name as the bad value here.
        var text = divisor.ToString();
        if (resource.EndsWith(".cpu", StringComparison.Ordinal))
        {
            if (Array.IndexOf(CpuDivisors, text) < 0)
            {
                errors.Add(FieldError.Invalid(path.Child("divisor"), resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
            }
        }
        else if (Array.IndexOf(ByteDivisors, text) < 0)
        {
            var what = resource.EndsWith(".memory", StringComparison.Ordinal) ? "the memory resource"
                : hugePages ? "the hugepages resource" : "the local ephemeral storage resource";
            errors.Add(FieldError.Invalid(path.Child("divisor"), resource,
                "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with " + what));
        }
    }

    /// <summary>Kubernetes' <c>validateConfigMapKeySelector</c> / <c>validateSecretKeySelector</c>: a DNS-1123 subdomain name and a config key.</summary>
    private static void ValidateKeySelector(KeySelector selector, FieldPath path, List<FieldError> errors)
    {
        foreach (var message in NameValidation.IsDns1123Subdomain(selector.Name ?? ""))
        {
            errors.Add(FieldError.Invalid(path.Child("name"), selector.Name ?? "", message));
        }

        if (selector.Key.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("key")));
            return;
        }

        foreach (var message in ConfigKeyValidation.IsConfigMapKey(selector.Key))
        {
            errors.Add(FieldError.Invalid(path.Child("key"), selector.Key, message));
        }
    }

    private static void ValidateResources(ResourceRequirements? resources, FieldPath path, List<FieldError> errors)
    {
        if (resources is null)
        {
            return;
        }

        ValidateResourceList(resources.Limits, path.Child("limits"), errors);
        ValidateResourceList(resources.Requests, path.Child("requests"), errors);
        if (resources.Requests is null || resources.Limits is null)
        {
            return;
        }

        foreach (var (name, request) in resources.Requests)
        {
            if (resources.Limits.TryGetValue(name, out var limit) && request.CompareTo(limit) > 0)
            {
                errors.Add(FieldError.Invalid(path.Child("requests").Key(name), request.ToString(),
                    $"must be less than or equal to {name} limit"));
            }
        }
    }

    private static void ValidateResourceList(Dictionary<string, Quantity>? list, FieldPath path, List<FieldError> errors)
    {
        if (list is null)
        {
            return;
        }

        foreach (var (name, quantity) in list)
        {
            var at = path.Key(name);
            foreach (var message in NameValidation.IsQualifiedName(name))
            {
                errors.Add(FieldError.Invalid(at, name, message));
            }

            if (quantity.Sign < 0)
            {
                errors.Add(FieldError.Invalid(at, quantity.ToString(), "must be greater than or equal to 0"));
            }
        }
    }

    private static void ValidateProbe(Probe? probe, FieldPath path, List<FieldError> errors)
    {
        if (probe is null)
        {
            return;
        }

        var handlers = (probe.Exec is null ? 0 : 1) + (probe.HttpGet is null ? 0 : 1) + (probe.TcpSocket is null ? 0 : 1);
        if (handlers == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a handler type"));
        }
        else if (handlers > 1)
        {
            errors.Add(FieldError.Forbidden(path, "may not specify more than 1 handler type"));
        }

        if (probe.Exec is { } exec && exec.Command is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path.Child("exec").Child("command")));
        }

        if (probe.HttpGet is { } http)
        {
            PortValidation.NumberOrName(http.Port, path.Child("httpGet").Child("port"), errors);
            if (http.Scheme is not null && Array.IndexOf(SchemeValues, http.Scheme) < 0)
            {
                errors.Add(FieldError.NotSupported(path.Child("httpGet").Child("scheme"), http.Scheme, SchemeValues));
            }
        }

        if (probe.TcpSocket is { } tcp)
        {
            PortValidation.NumberOrName(tcp.Port, path.Child("tcpSocket").Child("port"), errors);
        }

        NonNegative(probe.InitialDelaySeconds, path.Child("initialDelaySeconds"), errors);
        NonNegative(probe.TimeoutSeconds, path.Child("timeoutSeconds"), errors);
        NonNegative(probe.PeriodSeconds, path.Child("periodSeconds"), errors);
        NonNegative(probe.SuccessThreshold, path.Child("successThreshold"), errors);
        NonNegative(probe.FailureThreshold, path.Child("failureThreshold"), errors);
    }

    private static void NonNegative(long? value, FieldPath path, List<FieldError> errors)
    {
        if (value < 0)
        {
            errors.Add(FieldError.Invalid(path, value, "must be greater than or equal to 0"));
        }
    }

    private static bool IsEnvVarName(string name)
    {
        if (char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
