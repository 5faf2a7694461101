using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>Services: type, protocol, targetPort and affinity defaults; the cluster IP is immutable.</summary>
internal sealed class ServiceStrategy : ResourceStrategy
{
    public override bool HasStatus => true;

    public override void Default(KubeObject obj)
    {
        var service = (Service)obj;
        if (service.Spec is not { } spec)
        {
            return;
        }

        spec.Type ??= ServiceTypes.ClusterIP;
        spec.SessionAffinity ??= SessionAffinities.None;
        if (spec.SessionAffinity == SessionAffinities.ClientIP)
        {
            spec.SessionAffinityConfig ??= new SessionAffinityConfig();
            spec.SessionAffinityConfig.ClientIP ??= new ClientIPConfig();
            spec.SessionAffinityConfig.ClientIP.TimeoutSeconds ??= SessionAffinities.DefaultTimeoutSeconds;
        }

        foreach (var port in spec.Ports ?? [])
        {
            port.Protocol ??= Protocols.Tcp;
            // The seed's rule: a port without targetPort forwards to the same port number.
            port.TargetPort ??= IntOrString.FromInt(port.Port);
        }
    }

    public override void PrepareForCreate(KubeObject obj) => ((Service)obj).Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus() };

    public override void PrepareForUpdate(KubeObject obj, KubeObject old)
    {
        var service = (Service)obj;
        var before = (Service)old;
        service.Status = before.Status;
        // An update that leaves the cluster IP out keeps it (kubectl replace of a manifest without one).
        if (service.Spec is not null && string.IsNullOrEmpty(service.Spec.ClusterIP))
        {
            service.Spec.ClusterIP = before.Spec?.ClusterIP;
            service.Spec.ClusterIPs = before.Spec?.ClusterIPs;
        }
    }

    public override void PrepareForStatusUpdate(KubeObject obj, KubeObject old) => ((Service)obj).Spec = ((Service)old).Spec;

    public override IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old)
    {
        var errors = new List<FieldError>(Validate(obj));
        var ip = ((Service)obj).Spec?.ClusterIP;
        var before = ((Service)old).Spec?.ClusterIP;
        if (!string.IsNullOrEmpty(before) && ip != before)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("clusterIP"), ip, "field is immutable"));
        }

        return errors;
    }
}
