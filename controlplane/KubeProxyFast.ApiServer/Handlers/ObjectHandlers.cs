using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Admission;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.FieldValidation;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Selection;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>get, create, update (PUT) of objects and of their status subresource.</summary>
internal sealed partial class ObjectHandlers
{
    private readonly ObjectRegistry _registry;
    private readonly NamespaceLifecycle _namespaces;
    private readonly NamespaceFinalizer _namespaceFinalizer;
    private readonly ApiServerOptions _options;

    public ObjectHandlers(ObjectRegistry registry, NamespaceLifecycle namespaces, NamespaceFinalizer namespaceFinalizer, ApiServerOptions options)
    {
        _registry = registry;
        _namespaces = namespaces;
        _namespaceFinalizer = namespaceFinalizer;
        _options = options;
    }

    public async Task GetAsync(ApiContext context)
    {
        var atLeast = ResourceVersions.ForGet(context);
        var obj = await _registry.GetAsync(context.Resource, context.Namespace, context.Name, context.Aborted).ConfigureAwait(false);
        if (atLeast > long.Parse(obj.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture))
        {
            // Newer than the object: fine unless the store itself has not reached it.
            var key = context.Resource.Key(context.Namespace, context.Name);
            await ResourceVersions.ThrowIfAheadAsync(_registry.Store, key, atLeast.Value, context.Aborted).ConfigureAwait(false);
        }

        await ObjectResponse.WriteAsync(context, 200, obj).ConfigureAwait(false);
    }

    public async Task CreateAsync(ApiContext context)
    {
        var resource = context.Resource;
        var body = await RequestBody.ReadJsonAsync(context.Http, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        var obj = DecodeValidated(context, body, resource.Info, "CreateOptions");
        CheckNamespace(context, obj);
        ObjectLifecycle.PrepareCreate(resource, obj, context.Namespace, _options.Time.GetUtcNow(), context.User);
        NodeRestriction.AdmitCreate(context.User, resource, obj);
        if (resource.Namespaced)
        {
            await _namespaces.EnsureWritableAsync(context.Namespace!, context.Aborted).ConfigureAwait(false);
        }

        var created = await _registry.CreateAsync(resource, obj, context.Aborted, context.DryRun).ConfigureAwait(false);
        await ObjectResponse.WriteAsync(context, 201, created).ConfigureAwait(false);
    }

    /// <summary>PUT of the object (<paramref name="subresource"/> null), of its status or of its approval: a replace under optimistic concurrency.</summary>
    public async Task UpdateAsync(ApiContext context, string? subresource)
    {
        var status = subresource is not null;
        var resource = context.Resource;
        var body = await RequestBody.ReadJsonAsync(context.Http, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        var obj = DecodeValidated(context, body, resource.Info, "UpdateOptions");
        CheckNamespace(context, obj);
        if (obj.Metadata.Name is { Length: > 0 } bodyName && bodyName != context.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({context.Name})");
        }

        var precondition = obj.Metadata.ResourceVersion;
        var unconditional = string.IsNullOrEmpty(precondition);
        var admit = await CertificateSigning.AdmitAsync(context, subresource, _registry).ConfigureAwait(false);
        KubeObject updated;
        try
        {
            updated = await _registry.UpdateAsync(resource, context.Namespace, context.Name, current =>
            {
                if (unconditional && !resource.Strategy.AllowUnconditionalUpdate)
                {
                    // Kubernetes names the resource where the kind would go in this one message.
                    throw StatusErrors.Invalid(ObjectValidation.ToStatus(resource.Name, context.Name,
                        [FieldError.Invalid(FieldPath.Root("metadata").Child("resourceVersion"), 0, "must be specified for an update")], resource.Group));
                }

                // Each attempt works on its own copy: a retry must not see the previous attempt's changes.
                var attempt = RequestBody.Decode(body, resource);
                UnknownFields.Drop(attempt, null);
                var prepared = ObjectLifecycle.PrepareUpdate(resource, attempt, current, subresource);
                NodeRestriction.AdmitUpdate(context.User, resource, subresource ?? "", current, prepared);
                admit?.Invoke(prepared, current);
                return new Mutation(prepared, precondition) { CompletesDeletion = true };
            }, context.Aborted, context.DryRun).ConfigureAwait(false);
        }
        catch (StatusException e) when (e.Code == 404 && !status && resource.Strategy.AllowCreateOnUpdate && unconditional)
        {
            obj.Metadata.Name = context.Name;
            ObjectLifecycle.PrepareCreate(resource, obj, context.Namespace, _options.Time.GetUtcNow(), context.User);
            NodeRestriction.AdmitCreate(context.User, resource, obj);
            await _namespaces.EnsureWritableAsync(context.Namespace!, context.Aborted).ConfigureAwait(false);
            var created = await _registry.CreateAsync(resource, obj, context.Aborted, context.DryRun).ConfigureAwait(false);
            await ObjectResponse.WriteAsync(context, 201, created).ConfigureAwait(false);
            return;
        }

        await ObjectResponse.WriteAsync(context, 200, updated).ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes a create or update body under the request's <c>fieldValidation</c>: unknown and
    /// duplicate fields refused, warned about or ignored; unknown fields dropped either way.
    /// </summary>
    internal static KubeObject DecodeValidated(ApiContext context, byte[] body, KindInfo info, string optionsKind)
    {
        var directive = FieldValidationDirectives.Parse(context.Query("fieldValidation"), optionsKind);
        var obj = RequestBody.Decode(body, info);
        FieldValidator.CheckBody(context.Http, directive, body, obj, info.Kind, info.Version);
        return obj;
    }

    /// <summary>400 when the body names another namespace than the path.</summary>
    private static void CheckNamespace(ApiContext context, KubeObject obj)
    {
        if (context.Resource.Namespaced
            && obj.Metadata.Namespace is { Length: > 0 } ns
            && ns != context.Namespace)
        {
            throw StatusErrors.BadRequest($"the namespace of the provided object ({ns}) does not match the namespace sent on the request ({context.Namespace})");
        }
    }
}
