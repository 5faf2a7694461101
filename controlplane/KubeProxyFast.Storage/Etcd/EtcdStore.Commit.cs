using Etcdserverpb;
using Google.Protobuf;

namespace KubeProxyFast.Storage.Etcd;

public sealed partial class EtcdStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// One etcd txn: a compare on <c>mod_revision</c> per condition (etcd reports 0 for an absent
    /// key, so 0 means absent), the operations as its success branch, and as its failure branch a
    /// range of each condition's key — so a failed commit returns the current values in the same
    /// round trip.
    /// </remarks>
    public async Task<StoreTxnResult> CommitAsync(StoreTxn txn, CancellationToken cancellationToken = default)
    {
        TxnValidation.ThrowIfInvalid(txn);
        var request = new TxnRequest();
        foreach (var c in txn.Conditions)
        {
            var key = EtcdKeys.Key(c.Key);
            request.Compare.Add(new Compare
            {
                Key = key,
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Equal,
                ModRevision = c.ModRevision,
            });
            request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        }

        foreach (var op in txn.Operations)
        {
            request.Success.Add(op switch
            {
                StorePut put => new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Key(put.Key), Value = ByteString.CopyFrom(put.Value.Span), Lease = put.Lease } },
                StoreDelete delete => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Key(delete.Key) } },
                _ => throw new ArgumentException($"unknown operation {op.GetType().Name}", nameof(txn)),
            });
        }

        var response = await CallAsync(o => _kv.TxnAsync(request, o), write: true, revision: 0, cancellationToken).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return new StoreTxnResult(true, response.Header.Revision, []);
        }

        var current = new StoreValue?[response.Responses.Count];
        for (var i = 0; i < current.Length; i++)
        {
            var kvs = response.Responses[i].ResponseRange.Kvs;
            current[i] = kvs.Count == 0 ? null : EtcdKeys.ToStoreValue(kvs[0]);
        }

        return new StoreTxnResult(false, response.Header.Revision, current);
    }
}
