using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Admission;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Registry.Strategies;

namespace KubeProxyFast.ApiServer.Handlers;

internal sealed partial class ObjectHandlers
{
    public async Task DeleteAsync(ApiContext context)
    {
        var options = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var dryRun = DryRun(context, options);
        if (context.User.NodeName is not null)
        {
            // NodeRestriction judges a kubelet's delete on the stored object (the node a pod is bound to).
            var existing = await _registry.FindAsync(context.Resource, context.Namespace, context.Name, context.Aborted).ConfigureAwait(false);
            NodeRestriction.AdmitDelete(context.User, context.Resource, context.Name, existing);
        }

        var result = context.Resource == Resources.Namespaces
            ? await BeginNamespaceDeletionAsync(context, dryRun).ConfigureAwait(false)
            : await DeleteOneAsync(context, context.Name, options, dryRun).ConfigureAwait(false);
        await ObjectResponse.WriteAsync(context, 200, result).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes <paramref name="name"/> of the context's resource in its namespace as Kubernetes'
    /// registry does (<see cref="ObjectDeletion"/>): the object deleted, or marked (graceful pods,
    /// finalizers pending, the garbage collector's finalizers from the propagation policy), or for
    /// a dry run the object as it would be, with nothing changed.
    /// </summary>
    public Task<KubeObject> DeleteOneAsync(ApiContext context, string name, DeleteOptions options, bool dryRun) =>
        ObjectDeletion.DeleteAsync(_registry, context.Resource, context.Namespace, name, options, _options.Time.GetUtcNow(), context.Aborted, dryRun);

    /// <summary>
    /// DeleteOptions from the body or, when there is none, from the query (<c>gracePeriodSeconds</c>,
    /// <c>propagationPolicy</c>, <c>orphanDependents</c>), as kube-apiserver reads them: a body
    /// makes it ignore the query. A negative grace period means 1 second, as Kubernetes' BeforeDelete.
    /// </summary>
    public async Task<DeleteOptions> ReadDeleteOptionsAsync(ApiContext context)
    {
        var body = await RequestBody.ReadJsonAsync(context.Http, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        DeleteOptions options;
        if (body.Length > 0)
        {
            options = RequestBody.DecodeOther<DeleteOptions>(body, "DeleteOptions");
        }
        else
        {
            options = new DeleteOptions { GracePeriodSeconds = context.Integer("gracePeriodSeconds") };
            if (context.HasQuery("propagationPolicy"))
            {
                options.PropagationPolicy = context.Http.Request.Query["propagationPolicy"][0] ?? "";
            }

            if (context.HasQuery("orphanDependents"))
            {
                options.OrphanDependents = context.Flag("orphanDependents");
            }
        }

        if (options.PropagationPolicy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw StatusErrors.BadRequest($"propagationPolicy \"{options.PropagationPolicy}\" is not one of Orphan, Background, Foreground");
        }

        if (options.GracePeriodSeconds < 0)
        {
            options.GracePeriodSeconds = 1;
        }

        return options;
    }

    /// <summary>A dry run asked for on the query (<c>dryRun=All</c>) or in the DeleteOptions body, whose values must be <c>All</c> too.</summary>
    public static bool DryRun(ApiContext context, DeleteOptions options)
    {
        if (options.DryRun is { Count: > 0 } values && values.Exists(v => v != "All"))
        {
            throw StatusErrors.Invalid(ObjectValidation.ToStatus("DeleteOptions", "",
                [FieldError.NotSupported(FieldPath.Root("dryRun"), "[]string{\"" + string.Join("\", \"", values) + "\"}", ["All"])], "meta.k8s.io"));
        }

        return context.DryRun || options.DryRun is { Count: > 0 };
    }

    /// <summary>
    /// Deleting a namespace marks it Terminating at once; its content is then deleted and the
    /// namespace itself last, in the background (kubectl waits for it to be gone). A dry run
    /// answers the Terminating namespace and starts nothing.
    /// </summary>
    private async Task<KubeObject> BeginNamespaceDeletionAsync(ApiContext context, bool dryRun)
    {
        if (Array.IndexOf(NamespaceLifecycle.SystemNamespaces, context.Name) >= 0)
        {
            throw StatusErrors.Forbidden("namespaces", context.Name, "this namespace may not be deleted");
        }

        if (!dryRun)
        {
            _namespaces.Forget(context.Name);
        }

        var now = _options.Time.GetUtcNow();
        var terminating = await _registry.UpdateAsync(Resources.Namespaces, null, context.Name, current =>
        {
            var ns = (Namespace)current;
            ns.Metadata.DeletionTimestamp ??= ObjectLifecycle.Seconds(now);
            ns.Status ??= new NamespaceStatus();
            ns.Status.Phase = NamespaceStrategy.Terminating;
            return new Mutation(ns, null) { MarksDeletion = true };
        }, context.Aborted, dryRun).ConfigureAwait(false);
        if (!dryRun)
        {
            _namespaceFinalizer.Finalize(context.Name);
        }

        return terminating;
    }
}
