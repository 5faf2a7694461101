namespace KubeProxyFast.Storage;

/// <summary>Checks both backends make the same way, before anything is sent or queued.</summary>
internal static class TxnValidation
{
    /// <exception cref="ArgumentException">An operation's key appears twice (etcd refuses such a transaction).</exception>
    public static void ThrowIfInvalid(StoreTxn txn)
    {
        ArgumentNullException.ThrowIfNull(txn);
        ArgumentNullException.ThrowIfNull(txn.Conditions);
        ArgumentNullException.ThrowIfNull(txn.Operations);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in txn.Operations)
        {
            if (!keys.Add(op.Key))
            {
                throw new ArgumentException($"key {op.Key} appears in more than one operation", nameof(txn));
            }
        }
    }
}
