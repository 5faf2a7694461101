using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Registry;

/// <summary>
/// The rules of one kind (Kubernetes' rest strategy): what the server sets on create, what an
/// update may and may not change, defaults, validation and the fields selectors can match.
/// </summary>
internal abstract class ResourceStrategy
{
    /// <summary>True when the kind has a status that only the status subresource writes.</summary>
    public virtual bool HasStatus => false;

    /// <summary>
    /// True when a PUT of a missing object creates it (Kubernetes' AllowCreateOnUpdate: endpoints
    /// and events, which their writers replace whole without reading first).
    /// </summary>
    public virtual bool AllowCreateOnUpdate => false;

    /// <summary>
    /// False when a PUT must carry the resourceVersion it replaces (Kubernetes' AllowUnconditionalUpdate:
    /// leases, whose holders race); without it the update is a 422 on <c>metadata.resourceVersion</c>.
    /// </summary>
    public virtual bool AllowUnconditionalUpdate => true;

    /// <summary>
    /// What a delete that names no propagation policy does to dependents (Kubernetes'
    /// DefaultGarbageCollectionPolicy): Background for most kinds.
    /// </summary>
    public virtual GarbageCollectionPolicy DefaultGarbageCollectionPolicy => GarbageCollectionPolicy.DeleteDependents;

    /// <summary>
    /// False when an update that leaves a deleting object without finalizers must not delete it
    /// (namespaces: their own finalizer deletes them once their content is gone).
    /// </summary>
    public virtual bool DeletesWhenFinalized => true;

    /// <summary>
    /// The grace period of a first delete of <paramref name="obj"/> asked with <paramref name="requested"/>
    /// seconds (Kubernetes' CheckGracefulDelete), or null when the kind is not deleted gracefully.
    /// 0 means "at once" for a kind that is.
    /// </summary>
    public virtual long? GracePeriod(KubeObject obj, long? requested) => null;

    /// <summary>Fills the kind's defaults (protocol TCP, restartPolicy Always, …).</summary>
    public virtual void Default(KubeObject obj)
    {
    }

    /// <summary>Server-owned fields on create (status reset, generation 1).</summary>
    public virtual void PrepareForCreate(KubeObject obj)
    {
    }

    /// <summary>
    /// Server-owned fields on create that depend on who asks (Kubernetes reads the user from the
    /// request context: a CertificateSigningRequest records its requester); by default <see cref="PrepareForCreate(KubeObject)"/>.
    /// </summary>
    public virtual void PrepareForCreate(KubeObject obj, UserInfo requester) => PrepareForCreate(obj);

    /// <summary>An update of the main resource: keeps what it may not change (status) from <paramref name="old"/>.</summary>
    public virtual void PrepareForUpdate(KubeObject obj, KubeObject old)
    {
    }

    /// <summary>An update of the status subresource: keeps everything but the status from <paramref name="old"/>.</summary>
    public virtual void PrepareForStatusUpdate(KubeObject obj, KubeObject old)
    {
    }

    /// <summary>
    /// An update through a subresource other than <c>status</c> that the kind lists as written
    /// like one (<c>certificatesigningrequests/approval</c>): keeps everything that subresource may not change.
    /// </summary>
    /// <exception cref="InvalidOperationException">The kind has no such subresource (routing only sends the ones it lists).</exception>
    public virtual void PrepareForSubresourceUpdate(string subresource, KubeObject obj, KubeObject old) =>
        throw new InvalidOperationException($"{obj.Kind} has no writable subresource {subresource}");

    /// <summary>Validation of a new object.</summary>
    public virtual IReadOnlyList<FieldError> Validate(KubeObject obj) => ObjectValidation.Validate(obj);

    /// <summary>Validation of an update: the new object's rules plus what must not change.</summary>
    public virtual IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old) => Validate(obj);

    /// <summary>Validation of an update made through <paramref name="subresource"/> (null for the object itself); by default <see cref="ValidateUpdate(KubeObject, KubeObject)"/>.</summary>
    public virtual IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old, string? subresource) => ValidateUpdate(obj, old);

    /// <summary>
    /// The value of a field-selector field, or null when the kind does not support selecting on it.
    /// Every kind supports <c>metadata.name</c> and <c>metadata.namespace</c>.
    /// </summary>
    public string? FieldValue(KubeObject obj, string field) => field switch
    {
        "metadata.name" => obj.Metadata.Name ?? "",
        "metadata.namespace" => obj.Metadata.Namespace ?? "",
        _ => KindFieldValue(obj, field),
    };

    /// <summary>The kind's own selectable fields.</summary>
    protected virtual string? KindFieldValue(KubeObject obj, string field) => null;
}
