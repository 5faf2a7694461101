using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>What the server owns in every object on create and on update, around the kind's strategy.</summary>
internal static class ObjectLifecycle
{
    /// <summary>
    /// Server fields, strategy, defaults, then validation (422 with one cause per error).
    /// <paramref name="requester"/> is the request's user (the server itself when null, as for the objects it writes).
    /// </summary>
    public static void PrepareCreate(ResourceDefinition resource, KubeObject obj, string? ns, DateTimeOffset now, UserInfo? requester = null)
    {
        var meta = obj.Metadata;
        meta.Namespace = resource.Namespaced ? ns : null;
        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = Seconds(now);
        meta.ResourceVersion = null;
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        meta.SelfLink = null;
        meta.Generation = null;
        obj.Kind = resource.Kind;
        obj.ApiVersion = resource.ApiVersion;
        resource.Strategy.PrepareForCreate(obj, requester ?? UserInfo.Unsecured);
        resource.Strategy.Default(obj);
        ThrowIfInvalid(resource, obj, resource.Strategy.Validate(obj));
    }

    /// <summary>
    /// Keeps what clients may not change (uid, creation time, deletion state), applies the
    /// strategy for the main resource or the status subresource, defaults, validates.
    /// </summary>
    public static KubeObject PrepareUpdate(ResourceDefinition resource, KubeObject obj, KubeObject old, bool status) =>
        PrepareUpdate(resource, obj, old, status ? "status" : null);

    /// <summary>
    /// As <see cref="PrepareUpdate(ResourceDefinition, KubeObject, KubeObject, bool)"/> for an update
    /// of the object (<paramref name="subresource"/> null) or of a subresource written like its status
    /// (<c>status</c>, <c>approval</c>): a subresource writer cannot change the owner's metadata.
    /// </summary>
    public static KubeObject PrepareUpdate(ResourceDefinition resource, KubeObject obj, KubeObject old, string? subresource)
    {
        var meta = obj.Metadata;
        var before = old.Metadata;
        meta.Name = before.Name;
        meta.Namespace = before.Namespace;
        if (!string.IsNullOrEmpty(meta.Uid) && meta.Uid != before.Uid)
        {
            // As Kubernetes' ValidateObjectMetaUpdate: a uid in the body must be the object's, so a
            // patch carrying the uid it was built for (a controller adopting or releasing a pod)
            // fails on an object deleted and created again under the name.
            throw StatusErrors.InvalidField(resource.Kind, before.Name, "metadata.uid",
                $"Invalid value: \"{meta.Uid}\": field is immutable");
        }

        meta.Uid = before.Uid;
        meta.CreationTimestamp = before.CreationTimestamp;
        meta.DeletionTimestamp = before.DeletionTimestamp;
        meta.DeletionGracePeriodSeconds = before.DeletionGracePeriodSeconds;
        meta.Generation = before.Generation;
        meta.SelfLink = null;
        obj.Kind = resource.Kind;
        obj.ApiVersion = resource.ApiVersion;
        if (subresource is not null)
        {
            // As Kubernetes' ResetObjectMetaForStatus: a status writer (the kubelet, a controller)
            // cannot change what the object's owner set.
            meta.Labels = before.Labels;
            meta.Annotations = before.Annotations;
            meta.Finalizers = before.Finalizers;
            meta.OwnerReferences = before.OwnerReferences;
            if (subresource == "status")
            {
                resource.Strategy.PrepareForStatusUpdate(obj, old);
            }
            else
            {
                resource.Strategy.PrepareForSubresourceUpdate(subresource, obj, old);
            }
        }
        else
        {
            resource.Strategy.PrepareForUpdate(obj, old);
        }

        resource.Strategy.Default(obj);
        var errors = resource.Strategy.ValidateUpdate(obj, old, subresource);
        if (before.DeletionTimestamp is not null)
        {
            var all = new List<FieldError>(errors);
            ObjectMetaValidation.ValidateNoNewFinalizers(meta.Finalizers, before.Finalizers, FieldPath.Root("metadata").Child("finalizers"), all);
            errors = all;
        }

        ThrowIfInvalid(resource, obj, errors);
        return obj;
    }

    /// <summary>Kubernetes' times have second precision.</summary>
    public static DateTimeOffset Seconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static void ThrowIfInvalid(ResourceDefinition resource, KubeObject obj, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid(ObjectValidation.ToStatus(resource.Kind, obj.Metadata.Name ?? obj.Metadata.GenerateName, errors, resource.Group));
        }
    }
}
