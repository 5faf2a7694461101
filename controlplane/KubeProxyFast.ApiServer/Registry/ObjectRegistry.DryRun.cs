using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Registry;

internal sealed partial class ObjectRegistry
{
    /// <summary>
    /// The outcome a commit of <paramref name="txn"/> would have now, read from the store; nothing
    /// is written (<c>dryRun=All</c>). The conditions are read one by one, not at one revision: a
    /// dry run promises the answer the write would have had, not that a real write will succeed.
    /// </summary>
    private async Task<StoreTxnResult> EvaluateAsync(StoreTxn txn, CancellationToken cancellationToken)
    {
        var current = new StoreValue?[txn.Conditions.Count];
        var holds = true;
        for (var i = 0; i < current.Length; i++)
        {
            var condition = txn.Conditions[i];
            current[i] = await _store.GetAsync(condition.Key, cancellationToken).ConfigureAwait(false);
            holds &= (current[i]?.ModRevision ?? 0) == condition.ModRevision;
        }

        return new StoreTxnResult(holds, 0, current);
    }
}
