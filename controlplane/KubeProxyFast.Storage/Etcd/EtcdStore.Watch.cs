using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;

namespace KubeProxyFast.Storage.Etcd;

public sealed partial class EtcdStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// One etcd watch stream for the enumeration's lifetime, never silently re-created (a new
    /// stream could repeat or skip revisions): when it breaks the enumeration throws
    /// <see cref="StoreUnavailableException"/> and the caller watches again from the last
    /// revision it saw. Cancellation ends the enumeration without an exception.
    /// </remarks>
    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        using var call = _watch.Watch(cancellationToken: cancellationToken);
        var create = new WatchCreateRequest
        {
            Key = EtcdKeys.Key(prefix),
            RangeEnd = EtcdKeys.PrefixEnd(prefix),
            StartRevision = afterRevision + 1,
            // Deletes carry the key's last value.
            PrevKv = true,
        };
        if (!await SendAsync(call, new WatchRequest { CreateRequest = create }, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        while (await NextAsync(call, cancellationToken).ConfigureAwait(false) is { } response)
        {
            if (response.CompactRevision != 0)
            {
                throw new StoreCompactedException(afterRevision + 1, response.CompactRevision);
            }

            if (response.Canceled)
            {
                throw new StoreUnavailableException($"etcd at {Endpoints} cancelled the watch on {prefix}: {response.CancelReason}");
            }

            foreach (var e in response.Events)
            {
                yield return ToStoreEvent(e);
            }
        }
    }

    /// <summary>
    /// etcd's compaction point, which a failed range does not report: a watch from
    /// <paramref name="revision"/> is answered with it at once.
    /// </summary>
    private async Task<long> CompactRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var call = _watch.Watch(cancellationToken: timeout.Token);
        var create = new WatchCreateRequest { Key = EtcdKeys.Key("\0"), StartRevision = revision };
        if (await SendAsync(call, new WatchRequest { CreateRequest = create }, timeout.Token).ConfigureAwait(false))
        {
            while (await NextAsync(call, timeout.Token).ConfigureAwait(false) is { } response)
            {
                if (response.CompactRevision != 0 || response.Canceled || response.Events.Count > 0)
                {
                    return response.CompactRevision;
                }
            }
        }

        return 0;
    }

    private static StoreEvent ToStoreEvent(Mvccpb.Event e)
    {
        var kv = e.Kv;
        var key = kv.Key.ToStringUtf8();
        if (e.Type == Mvccpb.Event.Types.EventType.Delete)
        {
            var last = e.PrevKv?.Value.Memory ?? ReadOnlyMemory<byte>.Empty;
            return new StoreEvent(StoreEventType.Deleted, key, last, kv.ModRevision, last);
        }

        return kv.CreateRevision == kv.ModRevision
            ? new StoreEvent(StoreEventType.Created, key, kv.Value.Memory, kv.ModRevision)
            : new StoreEvent(StoreEventType.Updated, key, kv.Value.Memory, kv.ModRevision, e.PrevKv?.Value.Memory ?? ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Sends on the watch stream; false when cancelled.</summary>
    private async Task<bool> SendAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, WatchRequest request, CancellationToken cancellationToken)
    {
        var (sent, _) = await OnStreamAsync(
            static async (state, token) =>
            {
                await state.call.RequestStream.WriteAsync(state.request, token).ConfigureAwait(false);
                return true;
            },
            (call, request),
            cancellationToken).ConfigureAwait(false);
        return sent;
    }

    /// <summary>The next response; null when cancelled.</summary>
    /// <exception cref="StoreUnavailableException">The stream broke or ended.</exception>
    private async Task<WatchResponse?> NextAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, CancellationToken cancellationToken)
    {
        var (completed, more) = await OnStreamAsync(
            static (stream, token) => stream.MoveNext(token), call.ResponseStream, cancellationToken).ConfigureAwait(false);
        if (!completed)
        {
            return null;
        }

        return more ? call.ResponseStream.Current : throw new StoreUnavailableException($"etcd at {Endpoints} ended the watch stream");
    }

    /// <summary>
    /// One operation on a watch stream, its failures made the store's: (false, default) when the
    /// caller cancelled; a lost stream is <see cref="StoreUnavailableException"/>.
    /// </summary>
    private async Task<(bool Completed, T Result)> OnStreamAsync<TState, T>(
        Func<TState, CancellationToken, Task<T>> operation, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await operation(state, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (false, default!);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return (false, default!);
        }
        catch (RpcException e) when (EtcdErrors.Map(e, Endpoints, write: false) is { } mapped)
        {
            throw mapped;
        }
        catch (OperationCanceledException e)
        {
            // With ThrowOperationCanceledOnCancellation (dotnet-etcd's default), a connection
            // that drops under the stream surfaces as a cancellation nobody asked for.
            throw EtcdErrors.Lost(Endpoints, write: false, e);
        }
        catch (IOException e)
        {
            // The HTTP/2 connection ended under the call (etcd stopped): seen as HttpIOException, not as an RpcException.
            throw EtcdErrors.Lost(Endpoints, write: false, e);
        }
    }
}
