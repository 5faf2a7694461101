using KubeProxyFast.Client.WorkQueue;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.GarbageCollector;

/// <summary>
/// Kubernetes' garbage collector (<c>garbagecollector</c>): deletes objects whose owners are all
/// gone, releases the dependents of an owner deleted with the <c>orphan</c> finalizer, and deletes
/// the dependents of one deleted in the foreground before removing its <c>foregroundDeletion</c>
/// finalizer. A graph of owners and dependents, fed by the shared informers, says whom to look at;
/// every decision is checked against the live objects (a GET of each owner by name, its uid
/// compared), so a lagging cache never deletes anything. Level-based: at start every object with
/// owners and every owner being deleted is looked at, so what happened while it was not running
/// is handled then.
/// </summary>
public sealed partial class GarbageCollector : IController
{
    private readonly ControllerContext _context;
    private readonly GarbageCollectorOptions _options;
    private readonly ILogger _logger;
    private readonly GcResources _resources;
    private readonly DependencyGraph _graph = new();
    private readonly RateLimitingQueue<string> _attemptToDelete;
    private readonly RateLimitingQueue<string> _attemptToOrphan;
    private readonly List<IAsyncDisposable> _handlers = [];

    /// <summary>Registers the collector's handlers on the context's informers; <see cref="RunAsync"/> starts its workers.</summary>
    public GarbageCollector(ControllerContext context, GarbageCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConcurrentGcSyncs, 1, nameof(options));
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<GarbageCollector>();
        _resources = new GcResources(context.Client);
        _attemptToDelete = context.CreateQueue<string>("garbage_collector_attempt_to_delete");
        _attemptToOrphan = context.CreateQueue<string>("garbage_collector_attempt_to_orphan");
        foreach (var resource in _resources.All)
        {
            if (resource.Monitored)
            {
                _handlers.Add(resource.Watch(context.Informers, OnAdd, OnUpdate, OnDelete));
            }
        }
    }

    /// <inheritdoc />
    public string Name => "garbagecollector";

    /// <summary>True once the graph holds <paramref name="uid"/> as observed (for tests).</summary>
    internal bool HasObserved(string uid) => _graph.Find(uid) is { Observed: true };

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarting(_logger, _options.ConcurrentGcSyncs);
        var workers = new List<Task>();
        try
        {
            // Run alone (no controller manager waiting for every cache), an owner not listed yet
            // would look absent and its dependents would be collected.
            await Task.WhenAll(_resources.All.Select(r => r.WaitForCacheSyncAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(workers).ConfigureAwait(false);
            return;
        }

        for (var i = 0; i < _options.ConcurrentGcSyncs; i++)
        {
            workers.Add(Task.Run(() => WorkAsync(_attemptToDelete, AttemptToDeleteAsync, cancellationToken), CancellationToken.None));
            workers.Add(Task.Run(() => WorkAsync(_attemptToOrphan, AttemptToOrphanAsync, cancellationToken), CancellationToken.None));
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await StopAsync(workers).ConfigureAwait(false);
    }

    /// <summary>Shuts the queues down, waits for <paramref name="workers"/> and removes the handlers.</summary>
    private async Task StopAsync(List<Task> workers)
    {
        _attemptToDelete.ShutDown();
        _attemptToOrphan.ShutDown();
        await Task.WhenAll(workers).ConfigureAwait(false);
        foreach (var handler in _handlers)
        {
            await handler.DisposeAsync().ConfigureAwait(false);
        }

        _attemptToDelete.Dispose();
        _attemptToOrphan.Dispose();
    }

    /// <summary>
    /// One worker: takes a uid, runs <paramref name="sync"/>; a failure (conflict, apiserver down)
    /// is retried with the queue's backoff, a success forgets the key's backoff.
    /// </summary>
    private async Task WorkAsync(RateLimitingQueue<string> queue, Func<string, CancellationToken, Task> sync, CancellationToken cancellationToken)
    {
        while (true)
        {
            string uid;
            try
            {
                var (key, shuttingDown) = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
                if (shuttingDown)
                {
                    return;
                }

                uid = key;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await sync(uid, cancellationToken).ConfigureAwait(false);
                queue.Forget(uid);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping mid-item: the next start looks at it again.
            }
            catch (Exception e)
            {
                LogRetry(_logger, _graph.Find(uid)?.Identity.ToString() ?? uid, e.Message);
                queue.AddRateLimited(uid);
            }
            finally
            {
                queue.Done(uid);
            }
        }
    }
}
