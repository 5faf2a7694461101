using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>
/// One nf_tables transaction being written: <c>NFNL_MSG_BATCH_BEGIN</c>, the messages, and (on
/// commit) <c>NFNL_MSG_BATCH_END</c>, sent in one sendmsg so the kernel applies all or nothing.
/// Each message is remembered by sequence number with what it does and to which object, so that
/// the kernel's error names them. Reused across syncs: <see cref="Reset"/> keeps its buffers.
/// </summary>
public sealed class NfBatch : IDisposable
{
    private readonly List<Entry> _entries = [];
    private uint _firstSequence;
    private uint _nextSetId;

    /// <summary>An empty batch whose BEGIN message takes <paramref name="firstSequence"/>.</summary>
    public NfBatch(uint firstSequence) => Reset(firstSequence);

    /// <summary>The batch's bytes.</summary>
    public NetlinkWriter Writer { get; } = new();

    /// <summary>Messages written, without the begin and end markers.</summary>
    public int MessageCount => _entries.Count;

    /// <summary>The sequence number of the batch-begin marker.</summary>
    public uint FirstSequence => _firstSequence;

    /// <summary>The sequence number the next message will get.</summary>
    public uint NextSequence => _firstSequence + 1 + (uint)_entries.Count;

    /// <summary>Starts over with <paramref name="firstSequence"/>, writing the begin marker.</summary>
    public void Reset(uint firstSequence)
    {
        Writer.Reset();
        _entries.Clear();
        _firstSequence = firstSequence;
        _nextSetId = 0;
        var begin = Writer.BeginMessage(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, firstSequence, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
        Writer.EndMessage(begin);
    }

    /// <summary>Starts an nf_tables message of <paramref name="type"/> in the IPv4 family; returns its offset for <see cref="End"/>.</summary>
    public int Begin(ushort type, ushort flags, NfOperation operation, string table, string name)
    {
        var start = Writer.BeginMessage((ushort)((NFNL_SUBSYS_NFTABLES << 8) | type), (ushort)(NLM_F_REQUEST | flags), NextSequence, NFPROTO_IPV4, 0);
        _entries.Add(new Entry(operation, table, name));
        return start;
    }

    /// <summary>Ends the message begun at <paramref name="start"/>.</summary>
    public void End(int start) => Writer.EndMessage(start);

    /// <summary>A set id unique in this transaction, for anonymous sets referred to before the kernel names them.</summary>
    public uint NewSetId() => ++_nextSetId;

    /// <summary>Writes the end marker; the batch is then ready to send.</summary>
    public void Seal()
    {
        var end = Writer.BeginMessage(NFNL_MSG_BATCH_END, NLM_F_REQUEST, NextSequence, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
        Writer.EndMessage(end);
    }

    /// <summary>Describes the message with <paramref name="sequence"/>, e.g. <c>add rule kpf/svc-x</c>; null if not one of ours.</summary>
    public string? Describe(uint sequence)
    {
        var index = (long)sequence - _firstSequence - 1;
        if (index < 0 || index >= _entries.Count)
        {
            return null;
        }

        var e = _entries[(int)index];
        return e.Name.Length == 0 ? $"{NfOperationText.Of(e.Operation)} {e.Table}" : $"{NfOperationText.Of(e.Operation)} {e.Table}/{e.Name}";
    }

    /// <inheritdoc/>
    public void Dispose() => Writer.Dispose();

    private readonly record struct Entry(NfOperation Operation, string Table, string Name);
}
