using System.Globalization;
using KubeProxyFast.Api.Autoscaling;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Labels;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Handlers;

internal sealed partial class ObjectHandlers
{
    /// <summary>GET replicationcontrollers/{name}/scale: the autoscaling/v1 Scale view of the controller.</summary>
    public async Task GetScaleAsync(ApiContext context)
    {
        var rc = (ReplicationController)await _registry.GetAsync(Resources.ReplicationControllers, context.Namespace, context.Name, context.Aborted)
            .ConfigureAwait(false);
        await ResponseWriter.WriteObjectAsync(context.Http, 200, ToScale(rc)).ConfigureAwait(false);
    }

    /// <summary>PUT replicationcontrollers/{name}/scale: sets spec.replicas; a resourceVersion in the Scale is a precondition on the controller.</summary>
    public async Task UpdateScaleAsync(ApiContext context)
    {
        var body = await RequestBody.ReadJsonAsync(context.Http, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        var scale = (Scale)DecodeValidated(context, body, KubeKinds.Scale, "UpdateOptions");
        var updated = await SetReplicasAsync(context, scale).ConfigureAwait(false);
        await ResponseWriter.WriteObjectAsync(context.Http, 200, ToScale(updated)).ConfigureAwait(false);
    }

    private async Task<ReplicationController> SetReplicasAsync(ApiContext context, Scale scale)
    {
        if (scale.Metadata.Name is { Length: > 0 } bodyName && bodyName != context.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({context.Name})");
        }

        var replicas = scale.Spec?.Replicas ?? 0;
        if (replicas < 0)
        {
            throw StatusErrors.InvalidField("Scale", context.Name, "spec.replicas",
                string.Create(CultureInfo.InvariantCulture, $"Invalid value: {replicas}: must be greater than or equal to 0"));
        }

        var resource = Resources.ReplicationControllers;
        return (ReplicationController)await _registry.UpdateAsync(resource, context.Namespace, context.Name, current =>
        {
            var rc = (ReplicationController)current;
            var old = ObjectCodec.Copy(resource, rc);
            rc.Spec ??= new ReplicationControllerSpec();
            rc.Spec.Replicas = replicas;
            return new Mutation(ObjectLifecycle.PrepareUpdate(resource, rc, old, status: false), scale.Metadata.ResourceVersion) { CompletesDeletion = true };
        }, context.Aborted, context.DryRun).ConfigureAwait(false);
    }

    private static Scale ToScale(ReplicationController rc) => new()
    {
        Kind = "Scale",
        ApiVersion = "autoscaling/v1",
        Metadata = new ObjectMeta
        {
            Name = rc.Metadata.Name,
            Namespace = rc.Metadata.Namespace,
            Uid = rc.Metadata.Uid,
            ResourceVersion = rc.Metadata.ResourceVersion,
            CreationTimestamp = rc.Metadata.CreationTimestamp,
        },
        Spec = new ScaleSpec { Replicas = rc.Spec?.Replicas ?? 0 },
        Status = new ScaleStatus
        {
            Replicas = rc.Status?.Replicas ?? 0,
            Selector = Selector.FromSet(rc.Spec?.Selector).ToString(),
        },
    };

    /// <summary>
    /// POST pods/{name}/binding (or namespaces/{ns}/bindings): assigns the pod to the target node,
    /// once — a bound pod answers 409 — and marks it scheduled.
    /// </summary>
    public async Task BindAsync(ApiContext context)
    {
        var body = await RequestBody.ReadJsonAsync(context.Http, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        var binding = (Binding)DecodeValidated(context, body, KubeKinds.Binding, "CreateOptions");
        var name = context.Path.IsBindingsCollection ? binding.Metadata.Name : context.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw StatusErrors.BadRequest("the binding names no pod (metadata.name is empty)");
        }

        if (!context.Path.IsBindingsCollection && binding.Metadata.Name is { Length: > 0 } bodyName && bodyName != name)
        {
            throw StatusErrors.BadRequest($"the name of the binding ({bodyName}) does not match the pod on the URL ({name})");
        }

        var node = binding.Target.Name;
        if (string.IsNullOrEmpty(node) || (binding.Target.Kind is { Length: > 0 } kind && kind != "Node"))
        {
            throw StatusErrors.InvalidField("Binding", name, "target", "Invalid value: the target must be a Node with a name");
        }

        var now = ObjectLifecycle.Seconds(_options.Time.GetUtcNow());
        await _registry.UpdateAsync(Resources.Pods, context.Namespace, name, current =>
        {
            var pod = (Pod)current;
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                throw StatusErrors.Conflict("pods", name, $"pod {name} is being deleted, cannot be assigned to a host");
            }

            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                throw StatusErrors.Conflict("pods", name, $"pod {name} is already assigned to node \"{pod.Spec.NodeName}\"");
            }

            pod.Spec ??= new PodSpec();
            pod.Spec.NodeName = node;
            pod.Status ??= new PodStatus();
            pod.Status.Conditions ??= [];
            pod.Status.Conditions.RemoveAll(c => c.Type == PodConditionTypes.PodScheduled);
            pod.Status.Conditions.Add(new PodCondition { Type = PodConditionTypes.PodScheduled, Status = ConditionStatuses.True, LastTransitionTime = now });
            return new Mutation(pod, binding.Metadata.ResourceVersion);
        }, context.Aborted, context.DryRun).ConfigureAwait(false);
        await ResponseWriter.WriteStatusAsync(context.Http, ResponseWriter.Success(201)).ConfigureAwait(false);
    }
}
