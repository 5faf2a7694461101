using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Registry.Strategies;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Admission;

/// <summary>
/// Empties a terminating namespace and then deletes it: the namespace controller's job, done in
/// the apiserver. Pods on nodes go gracefully, so the namespace lasts until their kubelets have
/// stopped them. Namespaces found terminating at start are resumed, so a restart loses none.
/// </summary>
internal sealed partial class NamespaceFinalizer : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly Api.Meta.DeleteOptions BackgroundDeletion = new() { PropagationPolicy = Api.Meta.PropagationPolicies.Background };

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public NamespaceFinalizer(ObjectRegistry registry, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts emptying <paramref name="ns"/> unless that is already under way.</summary>
    public void Finalize(string ns) => _running.GetOrAdd(ns, n => Task.Run(() => RunAsync(n)));

    /// <summary>Resumes every namespace that is terminating in the store.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var list = await _registry.Store.ListAsync(Resources.Namespaces.KeyPrefix, null, cancellationToken).ConfigureAwait(false);
        foreach (var value in list.Items)
        {
            var ns = (Namespace)ObjectCodec.Decode(Resources.Namespaces, value);
            if (ns.Status?.Phase == NamespaceStrategy.Terminating)
            {
                Finalize(ns.Metadata.Name!);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Values).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping mid-way is fine: the next start resumes.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(string ns)
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (await DeleteContentAsync(ns, token).ConfigureAwait(false) == 0 && await DeleteIfFinalizedAsync(ns, token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (StatusException e) when (e.Code == 404)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRetry(_logger, ns, e.Message);
            }

            await Task.Delay(RetryDelay, _time, token).ConfigureAwait(false);
        }

        _running.TryRemove(ns, out _);
    }

    /// <summary>
    /// Deletes the emptied namespace unless finalizers in its metadata still hold it (then the
    /// next round looks again, as Kubernetes keeps such a namespace until they are removed).
    /// </summary>
    private async Task<bool> DeleteIfFinalizedAsync(string ns, CancellationToken token)
    {
        var current = await _registry.GetAsync(Resources.Namespaces, null, ns, token).ConfigureAwait(false);
        if (current.Metadata.Finalizers is { Count: > 0 })
        {
            return false;
        }

        await _registry.DeleteAsync(Resources.Namespaces, null, ns, new Api.Meta.Preconditions { ResourceVersion = current.Metadata.ResourceVersion }, token)
            .ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes what is left in the namespace; returns how many objects remained.</summary>
    private async Task<int> DeleteContentAsync(string ns, CancellationToken token)
    {
        var remaining = 0;
        foreach (var resource in Resources.All)
        {
            if (!resource.Namespaced)
            {
                continue;
            }

            var list = await _registry.Store.ListAsync(resource.Prefix(ns), null, token).ConfigureAwait(false);
            remaining += list.Items.Count;
            foreach (var value in list.Items)
            {
                var name = value.Key[resource.Prefix(ns).Length..];
                try
                {
                    // As Kubernetes' namespace deleter: Background, so a garbage-collection finalizer
                    // (orphan, foregroundDeletion) is dropped rather than waited for; other finalizers hold.
                    await ObjectDeletion.DeleteAsync(_registry, resource, ns, name, BackgroundDeletion, _time.GetUtcNow(), token).ConfigureAwait(false);
                }
                catch (StatusException e) when (e.Code == 404)
                {
                    // Gone meanwhile.
                }
            }
        }

        return remaining;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "deleting namespace {Namespace}: {Error}; retrying")]
    private static partial void LogRetry(ILogger logger, string @namespace, string error);
}
