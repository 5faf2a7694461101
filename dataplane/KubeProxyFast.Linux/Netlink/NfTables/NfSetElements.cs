using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>
/// Elements added to or deleted from one set, written as few messages as possible: a message's
/// element list is one nested attribute, which a u16 length caps at 64 KiB, so a long list is
/// split over several messages of the same batch (still one transaction).
/// </summary>
public struct NfSetElements
{
    // Room for one more element of the largest kind we write (a key and a verdict naming a chain).
    private const int SplitAt = ushort.MaxValue - 1024;

    private readonly NfBatch _batch;
    private readonly string _table;
    private readonly string _set;
    private readonly bool _delete;
    private int _message;
    private int _list;

    private NfSetElements(NfBatch batch, string table, string set, bool delete)
    {
        _batch = batch;
        _table = table;
        _set = set;
        _delete = delete;
        _message = -1;
    }

    /// <summary>Starts elements for the named set <paramref name="set"/>, to add or to delete.</summary>
    public static NfSetElements Begin(NfBatch batch, string table, string set, bool delete) => new(batch, table, set, delete);

    /// <summary>An element with a verdict (<c>key : goto chain</c>).</summary>
    public void AddVerdict(ReadOnlySpan<byte> key, int verdict, string chain)
    {
        var w = _batch.Writer;
        var e = BeginElement(key);
        var data = w.BeginNested(NFTA_SET_ELEM_DATA);
        var v = w.BeginNested(NFTA_DATA_VERDICT);
        w.PutU32(NFTA_VERDICT_CODE, unchecked((uint)verdict));
        w.PutString(NFTA_VERDICT_CHAIN, chain);
        w.EndNested(v);
        w.EndNested(data);
        w.EndNested(e);
    }

    /// <summary>An element mapping to a value (<c>key : 8080</c>).</summary>
    public void AddValue(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var w = _batch.Writer;
        var e = BeginElement(key);
        var data = w.BeginNested(NFTA_SET_ELEM_DATA);
        w.PutBytes(NFTA_DATA_VALUE, value);
        w.EndNested(data);
        w.EndNested(e);
    }

    /// <summary>A key alone: a set member, or the element to delete.</summary>
    public void AddKey(ReadOnlySpan<byte> key) => _batch.Writer.EndNested(BeginElement(key));

    /// <summary>Ends the last message; writes nothing when no element was added.</summary>
    public void End()
    {
        if (_message >= 0)
        {
            _batch.Writer.EndNested(_list);
            _batch.End(_message);
            _message = -1;
        }
    }

    private int BeginElement(ReadOnlySpan<byte> key)
    {
        var w = _batch.Writer;
        if (_message >= 0 && w.NestedLength(_list) > SplitAt)
        {
            End();
        }

        if (_message < 0)
        {
            _message = _batch.Begin(
                _delete ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM,
                _delete ? (ushort)0 : NLM_F_CREATE,
                _delete ? NfOperation.DeleteElements : NfOperation.AddElements,
                _table,
                _set);
            w.PutString(NFTA_SET_ELEM_LIST_TABLE, _table);
            w.PutString(NFTA_SET_ELEM_LIST_SET, _set);
            _list = w.BeginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        }

        var e = w.BeginNested(NFTA_LIST_ELEM);
        var k = w.BeginNested(NFTA_SET_ELEM_KEY);
        w.PutBytes(NFTA_DATA_VALUE, key);
        w.EndNested(k);
        return e;
    }
}
