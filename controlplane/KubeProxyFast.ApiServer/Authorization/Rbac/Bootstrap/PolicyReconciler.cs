using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Rbac;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Authorization.Rbac.Bootstrap;

/// <summary>
/// Makes sure the default policy (<see cref="BootstrapPolicy"/>) is in the store, as Kubernetes'
/// <c>rbac/bootstrap-roles</c> post-start hook: a missing object is created; an existing one not
/// annotated <c>rbac.authorization.kubernetes.io/autoupdate: "false"</c> gains the rules, subjects,
/// labels and annotations it lacks (nothing is removed); a binding to another role is created
/// again. Servers sharing a store may run it at once: a create that loses the race reconciles the
/// winner's object, and updates go through the registry's optimistic retries.
/// </summary>
internal sealed partial class PolicyReconciler
{
    private const int MaxAttempts = 3;

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Writes through <paramref name="registry"/>, stamping objects with <paramref name="time"/>.</summary>
    public PolicyReconciler(ObjectRegistry registry, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reconciles every default object.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            await EnsureAsync(Resources.ClusterRoles, role, cancellationToken).ConfigureAwait(false);
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            await EnsureAsync(Resources.ClusterRoleBindings, binding, cancellationToken).ConfigureAwait(false);
        }

        foreach (var role in BootstrapPolicy.Roles())
        {
            await EnsureAsync(Resources.Roles, role, cancellationToken).ConfigureAwait(false);
        }

        foreach (var binding in BootstrapPolicy.RoleBindings())
        {
            await EnsureAsync(Resources.RoleBindings, binding, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureAsync(ResourceDefinition resource, KubeObject expected, CancellationToken cancellationToken)
    {
        var ns = expected.Metadata.Namespace;
        var name = expected.Metadata.Name!;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                var existing = await _registry.FindAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    await CreateAsync(resource, Fresh(resource, expected), cancellationToken).ConfigureAwait(false);
                    LogCreated(_logger, resource.Kind, name);
                    return;
                }

                if (existing.Metadata.Annotations?.GetValueOrDefault(RbacNames.AutoUpdateAnnotation) == "false")
                {
                    return;
                }

                if (!SameRoleRef(existing, expected))
                {
                    // A binding's roleRef cannot change: Kubernetes deletes it and creates it again, keeping its subjects.
                    await _registry.DeleteAsync(resource, ns, name, null, cancellationToken).ConfigureAwait(false);
                    var replacement = Fresh(resource, expected);
                    Merge(replacement, existing);
                    await CreateAsync(resource, replacement, cancellationToken).ConfigureAwait(false);
                    LogRecreated(_logger, resource.Kind, name);
                    return;
                }

                await UpdateAsync(resource, expected, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StatusException e) when (e.Code is 404 or 409)
            {
                // Another server created, changed or replaced it meanwhile: look again; that server's work will do after a few tries.
                if (attempt == MaxAttempts)
                {
                    LogGaveUp(_logger, resource.Kind, name, e.Message);
                }
            }
        }
    }

    private async Task CreateAsync(ResourceDefinition resource, KubeObject obj, CancellationToken cancellationToken)
    {
        ObjectLifecycle.PrepareCreate(resource, obj, obj.Metadata.Namespace, _time.GetUtcNow());
        await _registry.CreateAsync(resource, obj, cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(ResourceDefinition resource, KubeObject expected, CancellationToken cancellationToken)
    {
        var changed = false;
        await _registry.UpdateAsync(resource, expected.Metadata.Namespace, expected.Metadata.Name!, current =>
        {
            var old = ObjectCodec.Copy(resource, current);
            changed = Merge(current, expected);
            // Unchanged, the object is stored as it is: the registry writes nothing.
            return new Mutation(changed ? ObjectLifecycle.PrepareUpdate(resource, current, old, status: false) : current, null);
        }, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            LogUpdated(_logger, resource.Kind, expected.Metadata.Name!);
        }
    }

    /// <summary>A copy of the expected object (the policy's objects are built per call, but a retry must not reuse a prepared one).</summary>
    private static KubeObject Fresh(ResourceDefinition resource, KubeObject expected) => ObjectCodec.Copy(resource, expected);

    /// <summary>Adds to <paramref name="target"/> what <paramref name="source"/> has and it lacks; true when anything was added.</summary>
    private static bool Merge(KubeObject target, KubeObject source)
    {
        var changed = MergeMap(target.Metadata.Labels ??= [], source.Metadata.Labels);
        changed |= MergeMap(target.Metadata.Annotations ??= [], source.Metadata.Annotations);
        switch (target, source)
        {
            case (ClusterRole t, ClusterRole s):
                return MergeRules(t.Rules ??= [], s.Rules) | changed;
            case (Role t, Role s):
                return MergeRules(t.Rules ??= [], s.Rules) | changed;
            case (ClusterRoleBinding t, ClusterRoleBinding s):
                return MergeSubjects(t.Subjects ??= [], s.Subjects) | changed;
            case (RoleBinding t, RoleBinding s):
                return MergeSubjects(t.Subjects ??= [], s.Subjects) | changed;
            default:
                return changed;
        }
    }

    private static bool MergeMap(Dictionary<string, string> target, Dictionary<string, string>? source)
    {
        var changed = false;
        foreach (var (key, value) in source ?? [])
        {
            changed |= target.TryAdd(key, value);
        }

        return changed;
    }

    /// <summary>As Kubernetes' role reconciliation: the expected rules the existing ones do not cover are appended, broken down.</summary>
    private static bool MergeRules(List<PolicyRule> target, List<PolicyRule>? expected)
    {
        var missing = RuleCoverage.Missing(target, expected ?? []);
        target.AddRange(missing);
        return missing.Count > 0;
    }

    private static bool MergeSubjects(List<Subject> target, List<Subject>? expected)
    {
        var changed = false;
        foreach (var subject in expected ?? [])
        {
            if (!target.Any(s => s.Kind == subject.Kind && (s.ApiGroup ?? "") == (subject.ApiGroup ?? "") && s.Name == subject.Name && (s.Namespace ?? "") == (subject.Namespace ?? "")))
            {
                target.Add(subject);
                changed = true;
            }
        }

        return changed;
    }

    private static bool SameRoleRef(KubeObject existing, KubeObject expected) => (RoleRefOf(existing), RoleRefOf(expected)) switch
    {
        (null, null) => true,
        ({ } a, { } b) => a.ApiGroup == b.ApiGroup && a.Kind == b.Kind && a.Name == b.Name,
        _ => false,
    };

    private static RoleRef? RoleRefOf(KubeObject obj) => obj switch
    {
        RoleBinding binding => binding.RoleRef,
        ClusterRoleBinding binding => binding.RoleRef,
        _ => null,
    };

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "created the default {Kind} {Name}")]
    private static partial void LogCreated(ILogger logger, string kind, string name);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "added the missing rules or subjects to the default {Kind} {Name}")]
    private static partial void LogUpdated(ILogger logger, string kind, string name);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "left the default {Kind} {Name} as other servers wrote it: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string kind, string name, string error);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "created the default {Kind} {Name} again with its expected role")]
    private static partial void LogRecreated(ILogger logger, string kind, string name);
}
