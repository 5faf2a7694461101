using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>Pods: defaults of the pod spec, status owned by the status subresource (the kubelet).</summary>
internal sealed class PodStrategy : ResourceStrategy
{
    /// <summary>Kubernetes' default grace period for a pod's termination.</summary>
    public const long DefaultTerminationGracePeriodSeconds = 30;

    public override bool HasStatus => true;

    /// <summary>
    /// As Kubernetes' pod strategy: the request's grace, else the pod's own; 0 for a pod no kubelet
    /// runs (unscheduled) or that has finished, since nobody would complete its deletion.
    /// </summary>
    public override long? GracePeriod(KubeObject obj, long? requested)
    {
        var pod = (Pod)obj;
        if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase is PodPhases.Succeeded or PodPhases.Failed)
        {
            return 0;
        }

        return requested ?? pod.Spec?.TerminationGracePeriodSeconds ?? DefaultTerminationGracePeriodSeconds;
    }

    public override void Default(KubeObject obj)
    {
        var pod = (Pod)obj;
        if (pod.Spec is not { } spec)
        {
            return;
        }

        DefaultSpec(spec);
    }

    /// <summary>Defaults of a pod spec, shared with the pod templates of replication controllers.</summary>
    public static void DefaultSpec(PodSpec spec)
    {
        spec.RestartPolicy ??= RestartPolicies.Always;
        spec.DnsPolicy ??= DnsPolicies.ClusterFirst;
        spec.TerminationGracePeriodSeconds ??= DefaultTerminationGracePeriodSeconds;
        spec.SchedulerName ??= "default-scheduler";
        foreach (var container in spec.Containers ?? [])
        {
            // As Kubernetes: images tagged :latest (or untagged) are pulled always.
            container.ImagePullPolicy ??= IsLatest(container.Image) ? "Always" : "IfNotPresent";
            foreach (var port in container.Ports ?? [])
            {
                port.Protocol ??= Protocols.Tcp;
            }
        }
    }

    public override void PrepareForCreate(KubeObject obj)
    {
        var pod = (Pod)obj;
        pod.Status = new PodStatus { Phase = PodPhases.Pending };
    }

    public override void PrepareForUpdate(KubeObject obj, KubeObject old) => ((Pod)obj).Status = ((Pod)old).Status;

    public override void PrepareForStatusUpdate(KubeObject obj, KubeObject old) => ((Pod)obj).Spec = ((Pod)old).Spec;

    public override IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old)
    {
        var errors = new List<FieldError>(Validate(obj));
        var pod = (Pod)obj;
        var before = (Pod)old;
        // Binding is the scheduler's job through pods/binding; an update may not move a bound pod.
        if (!string.IsNullOrEmpty(before.Spec?.NodeName) && pod.Spec?.NodeName != before.Spec.NodeName)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("nodeName"), "pod updates may not change fields other than image and activeDeadlineSeconds"));
        }

        return errors;
    }

    protected override string? KindFieldValue(KubeObject obj, string field)
    {
        var pod = (Pod)obj;
        return field switch
        {
            "spec.nodeName" => pod.Spec?.NodeName ?? "",
            "spec.restartPolicy" => pod.Spec?.RestartPolicy ?? "",
            "spec.schedulerName" => pod.Spec?.SchedulerName ?? "",
            "status.phase" => pod.Status?.Phase ?? "",
            "status.podIP" => pod.Status?.PodIP ?? "",
            _ => null,
        };
    }

    private static bool IsLatest(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon <= slash || image.AsSpan(colon + 1).SequenceEqual("latest");
    }
}
