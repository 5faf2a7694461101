using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Client.Informers;

/// <summary>
/// Delivers one handler's notifications, in order, on a loop of its own, outside every lock, each
/// object decoded afresh from the shared immutable JSON (the handler's own copy). The buffer is
/// bounded: a notification that finds it full is not buffered, nor any after it; instead the
/// cache as the handler will have seen it once the buffer is drained is remembered, and when the
/// buffer is drained the handler is given the difference to the cache as it is then (adds,
/// updates from what it last saw, deletes) — as a relist would — and buffering resumes.
/// </summary>
internal sealed class HandlerDispatcher<T>
    where T : KubeObject
{
    private readonly ResourceHandler<T> _handler;
    private readonly InformerCache<T> _cache;
    private readonly Lock _dispatch;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Queue<Notification> _buffer = new();
    private TaskCompletionSource? _signal;
    // Set while overflowed: the cache as the handler will have seen it after the buffered notifications.
    private Dictionary<string, CachedObject>? _seenAtOverflow;
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopping;

    /// <param name="handler">The handler.</param>
    /// <param name="cache">The informer's cache, read to catch up after an overflow.</param>
    /// <param name="dispatch">The informer's lock under which the cache changes and notifications are enqueued.</param>
    /// <param name="capacity">Notifications buffered at most.</param>
    /// <param name="logger">Where handler failures and overflows are reported.</param>
    public HandlerDispatcher(ResourceHandler<T> handler, InformerCache<T> cache, Lock dispatch, int capacity, ILogger logger)
    {
        _handler = handler;
        _cache = cache;
        _dispatch = dispatch;
        _capacity = capacity;
        _logger = logger;
    }

    /// <summary>Starts delivering; <paramref name="cancellationToken"/> (the informer's) stops it as <see cref="StopAsync"/> does.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(async () =>
        {
            using (cancellationToken.UnsafeRegister(static s => ((HandlerDispatcher<T>)s!).RequestStop(), this))
            {
                await LoopAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None);
    }

    /// <summary>Stops the loop (a call in progress finishes; what is buffered is dropped) and waits for it.</summary>
    public Task StopAsync()
    {
        RequestStop();
        return _loop;
    }

    /// <summary>Buffers <paramref name="notification"/>; called under the dispatch lock, after the cache has applied it.</summary>
    public void Enqueue(Notification notification)
    {
        lock (_lock)
        {
            if (_seenAtOverflow is not null)
            {
                return;
            }

            if (_buffer.Count >= _capacity)
            {
                var seen = _cache.Snapshot();
                Undo(seen, notification);
                _seenAtOverflow = seen;
                InformerLog.HandlerOverflow(_logger, typeof(T).Name, _capacity);
                return;
            }

            _buffer.Enqueue(notification);
            _signal?.TrySetResult();
        }
    }

    private void RequestStop()
    {
        lock (_lock)
        {
            _stopping = true;
            _signal?.TrySetResult();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stopping)
        {
            Notification next;
            Task? wait = null;
            var catchUp = false;
            lock (_lock)
            {
                if (!_buffer.TryDequeue(out next))
                {
                    if (_seenAtOverflow is not null)
                    {
                        catchUp = true;
                    }
                    else
                    {
                        _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        wait = _signal.Task;
                    }
                }
            }

            if (wait is not null)
            {
                await wait.ConfigureAwait(false);
                continue;
            }

            Deliver(catchUp ? CatchUp() : next);
        }
    }

    /// <summary>The difference between what the handler saw and the cache now; buffering resumes from now.</summary>
    private Notification CatchUp()
    {
        Dictionary<string, CachedObject> seen;
        Dictionary<string, CachedObject> current;
        lock (_dispatch)
        {
            current = _cache.Snapshot();
            lock (_lock)
            {
                seen = _seenAtOverflow!;
                _seenAtOverflow = null;
            }
        }

        var batch = new List<Notification>();
        foreach (var (key, now) in current)
        {
            if (!seen.TryGetValue(key, out var before))
            {
                batch.Add(Notification.Added(now));
            }
            else if (!ReferenceEquals(before, now))
            {
                batch.Add(Notification.Updated(before, now));
            }
        }

        foreach (var (key, before) in seen)
        {
            if (!current.ContainsKey(key))
            {
                batch.Add(Notification.Deleted(before));
            }
        }

        InformerLog.HandlerCaughtUp(_logger, typeof(T).Name, batch.Count);
        return Notification.Of([.. batch]);
    }

    /// <summary>Takes <paramref name="notification"/>'s change back out of <paramref name="seen"/>.</summary>
    private static void Undo(Dictionary<string, CachedObject> seen, Notification notification)
    {
        switch (notification.Kind)
        {
            case NotificationKind.Add:
                seen.Remove(notification.New!.Key);
                break;
            case NotificationKind.Update:
            case NotificationKind.Delete:
                seen[notification.Old!.Key] = notification.Old;
                break;
            case NotificationKind.Batch:
                for (var i = notification.Batch!.Length - 1; i >= 0; i--)
                {
                    Undo(seen, notification.Batch[i]);
                }

                break;
        }
    }

    private void Deliver(Notification notification)
    {
        if (notification.Kind == NotificationKind.Batch)
        {
            foreach (var item in notification.Batch!)
            {
                if (_stopping)
                {
                    return;
                }

                Deliver(item);
            }

            return;
        }

        var key = (notification.New ?? notification.Old)!.Key;
        try
        {
            switch (notification.Kind)
            {
                case NotificationKind.Add when _handler.OnAdd is { } onAdd:
                    onAdd(Copy(notification.New!));
                    break;
                case NotificationKind.Update when _handler.OnUpdate is { } onUpdate:
                    var updated = Copy(notification.New!);
                    onUpdate(ReferenceEquals(notification.Old, notification.New) ? updated : Copy(notification.Old!), updated);
                    break;
                case NotificationKind.Delete when _handler.OnDelete is { } onDelete:
                    onDelete(Copy(notification.Old!));
                    break;
            }
        }
#pragma warning disable CA1031 // a handler's bug must not stop its later notifications
        catch (Exception e)
#pragma warning restore CA1031
        {
            InformerLog.HandlerFailed(_logger, typeof(T).Name, key, e);
        }
    }

    private static T Copy(CachedObject entry) => KubeJson.Deserialize<T>(entry.Json);
}
