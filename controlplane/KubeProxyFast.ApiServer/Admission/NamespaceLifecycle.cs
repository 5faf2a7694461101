using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Registry.Strategies;

namespace KubeProxyFast.ApiServer.Admission;

/// <summary>
/// Kubernetes' NamespaceLifecycle admission: namespaced objects may only be created in a
/// namespace that exists and is not terminating; <c>default</c>, <c>kube-system</c>,
/// <c>kube-public</c> and <c>kube-node-lease</c> (where kubelets renew their heartbeat Leases,
/// read by the node lifecycle controller) exist from the start and cannot be deleted. Namespaces seen active are
/// remembered briefly so that a burst of creates costs one store read, not one each.
/// </summary>
internal sealed class NamespaceLifecycle
{
    /// <summary>Namespaces the server creates at start and refuses to delete.</summary>
    public static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private static readonly TimeSpan ActiveCacheTime = TimeSpan.FromSeconds(2);

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _activeUntil = new(StringComparer.Ordinal);

    public NamespaceLifecycle(ObjectRegistry registry, TimeProvider time)
    {
        _registry = registry;
        _time = time;
    }

    /// <summary>Creates the system namespaces that do not exist yet.</summary>
    public async Task EnsureSystemNamespacesAsync(CancellationToken cancellationToken)
    {
        foreach (var name in SystemNamespaces)
        {
            if (await _registry.FindAsync(Resources.Namespaces, null, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var ns = new Namespace { Metadata = { Name = name } };
            ObjectLifecycle.PrepareCreate(Resources.Namespaces, ns, null, _time.GetUtcNow());
            try
            {
                await _registry.CreateAsync(Resources.Namespaces, ns, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException e) when (e.Code == 409)
            {
                // Another apiserver on the same store made it first.
            }
        }
    }

    /// <summary>404 when <paramref name="ns"/> does not exist, 403 while it is being deleted.</summary>
    public async Task EnsureWritableAsync(string ns, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_activeUntil.TryGetValue(ns, out var until) && now < until)
        {
            return;
        }

        var found = (Namespace?)await _registry.FindAsync(Resources.Namespaces, null, ns, cancellationToken).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound("namespaces", ns);
        if (found.Status?.Phase == NamespaceStrategy.Terminating)
        {
            var forbidden = StatusErrors.Forbidden("namespaces", ns, $"unable to create new content in namespace {ns} because it is being terminated");
            // As Kubernetes: the cause lets controllers tell this refusal apart and stop creating
            // (and stop recording FailedCreate) instead of retrying what cannot succeed.
            forbidden.Status.Details!.Causes =
                [new StatusCause { Reason = "NamespaceTerminating", Message = $"namespace {ns} is being terminated", Field = "metadata.namespace" }];
            throw forbidden;
        }

        _activeUntil[ns] = now + (long)(ActiveCacheTime.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>Forgets <paramref name="ns"/> (it is being deleted).</summary>
    public void Forget(string ns) => _activeUntil.TryRemove(ns, out _);
}
