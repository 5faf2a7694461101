using System.Runtime.CompilerServices;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.Storage;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// The apiserver's view of the store with encryption at rest: values of the resources the
/// configuration names are written through their first provider and read through whichever
/// wrote them, so every reader (gets, lists, the watch caches, admission) sees plain objects and
/// only the store holds ciphertext — where Kubernetes puts its transformers, between the
/// registry and etcd. Other keys (allocations, bookkeeping) pass through. It does not own the
/// store it wraps.
/// </summary>
internal sealed partial class EncryptingStore : IStore
{
    private readonly IStore _inner;
    private readonly Dictionary<string, TransformerChain> _byResource = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="inner"/> for the stored resources <paramref name="encryption"/> names.</summary>
    public EncryptingStore(IStore inner, StorageEncryption encryption, IEnumerable<ResourceDefinition> resources, ILogger logger)
    {
        _inner = inner;
        _logger = logger;
        foreach (var resource in resources)
        {
            if (encryption.For(resource.Name, resource.Group) is { } chain)
            {
                _byResource[resource.Name] = chain;
            }
        }
    }

    public async Task<StoreValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Readable(await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false));

    public async Task<StoreList> ListAsync(string prefix, StoreListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = await _inner.ListAsync(prefix, options, cancellationToken).ConfigureAwait(false);
        return list.Items.Any(v => Chain(v.Key) is not null)
            ? list with { Items = [.. list.Items.Select(v => Readable(v)!)] }
            : list;
    }

    public async Task<StoreTxnResult> CommitAsync(StoreTxn txn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(txn);
        var operations = txn.Operations;
        if (operations.Any(o => o is StorePut put && Chain(put.Key) is not null))
        {
            operations = [.. operations.Select(o => o is StorePut put && Chain(put.Key) is { } chain
                ? put with { Value = chain.Write(put.Value.Span, put.Key) }
                : o)];
        }

        var result = await _inner.CommitAsync(txn with { Operations = operations }, cancellationToken).ConfigureAwait(false);
        return result.Current.Any(v => v is not null && Chain(v.Key) is not null)
            ? result with { Current = [.. result.Current.Select(Readable)] }
            : result;
    }

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in _inner.WatchAsync(prefix, afterRevision, cancellationToken).ConfigureAwait(false))
        {
            if (Chain(change.Key) is not { } chain)
            {
                yield return change;
                continue;
            }

            StoreEvent readable;
            try
            {
                readable = change with
                {
                    Value = change.Value.IsEmpty ? change.Value : chain.Read(change.Value.Span, change.Key),
                    Previous = change.Previous.IsEmpty ? change.Previous : chain.Read(change.Previous.Span, change.Key),
                };
            }
            catch (UndecryptableValueException e)
            {
                // Leaving the change out would let every watch cache drift for good (a skipped
                // delete keeps the object forever): the watch ends, and its cache starts over.
                LogUndecryptable(_logger, change.Revision, e.Message);
                throw new StoreUnavailableException(e.Message, inner: e);
            }

            yield return readable;
        }
    }

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) => _inner.CompactAsync(revision, cancellationToken);

    /// <inheritdoc/>
    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => _inner.GrantLeaseAsync(ttl, cancellationToken);

    /// <summary>Nothing to release: the wrapped store belongs to the caller.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private StoreValue? Readable(StoreValue? value)
    {
        if (value is null || Chain(value.Key) is not { } chain)
        {
            return value;
        }

        try
        {
            return value with { Value = chain.Read(value.Value.Span, value.Key) };
        }
        catch (UndecryptableValueException e)
        {
            throw StatusErrors.Internal(e.Message);
        }
    }

    /// <summary>The providers of the resource a key belongs to (<c>/registry/secrets/…</c>), or null.</summary>
    private TransformerChain? Chain(string key)
    {
        if (!key.StartsWith(StoreKeys.Root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key.AsSpan(StoreKeys.Root.Length);
        var end = rest.IndexOf('/');
        var resource = end < 0 ? rest : rest[..end];
        return _byResource.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(resource, out var chain) ? chain : null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "a watch ends at revision {Revision}, whose change cannot be read: {Error}")]
    private static partial void LogUndecryptable(ILogger logger, long revision, string error);
}
