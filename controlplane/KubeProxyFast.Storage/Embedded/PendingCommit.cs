using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Embedded;

/// <summary>A transaction waiting for the writer, and what the writer decided for it.</summary>
internal sealed class PendingCommit : TaskCompletionSource<StoreTxnResult>
{
    /// <param name="txn">A transaction that passed <see cref="TxnValidation.ThrowIfInvalid"/>.</param>
    /// <param name="recordBytes">The size of its log record at most (<see cref="WalRecord.PayloadSize"/>).</param>
    public PendingCommit(StoreTxn txn, long recordBytes)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        RecordBytes = recordBytes;
        Conditions = txn.Conditions;
        Operations = new WalMutation[txn.Operations.Count];
        for (var i = 0; i < Operations.Length; i++)
        {
            var op = txn.Operations[i];
            // A copy: the caller may reuse its buffer once the call returns, before the writer runs.
            Operations[i] = op is StorePut put ? new WalMutation(op.Key, put.Value.ToArray(), put.Lease) : new WalMutation(op.Key, null);
        }
    }

    /// <summary>The revocation of an expired lease: deletes every key still attached to it when the writer gets to it.</summary>
    public PendingCommit(long revokeLease)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Conditions = [];
        Operations = [];
        RevokeLease = revokeLease;
    }

    /// <summary>The lease this commit revokes, or 0.</summary>
    public long RevokeLease { get; }

    /// <summary>Why the writer refused it (a put under a lease that does not exist), or null.</summary>
    public Exception? Refusal { get; set; }

    /// <summary>The size of its log record at most.</summary>
    public long RecordBytes { get; }

    /// <summary>The transaction's conditions.</summary>
    public IReadOnlyList<StoreCondition> Conditions { get; }

    /// <summary>The transaction's operations (a null value is a delete).</summary>
    public WalMutation[] Operations { get; }

    /// <summary>The writes that take effect (deletes of absent keys dropped); empty when the conditions failed.</summary>
    public List<WalMutation> Mutations { get; } = [];

    /// <summary>The revision the mutations commit at.</summary>
    public long Revision { get; set; }

    /// <summary>The answer, decided before the batch reaches the disk and given after.</summary>
    public StoreTxnResult? Result { get; set; }
}
