using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables.Expressions;

/// <summary>
/// The envelope every expression shares: <c>NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { … } }</c>.
/// The expression classes beside this one write their attributes in between, in the order nft
/// sends them (the golden tests compare bytes).
/// </summary>
public readonly struct NfExpression
{
    private readonly int _element;
    private readonly int _data;

    private NfExpression(int element, int data)
    {
        _element = element;
        _data = data;
    }

    /// <summary>Opens expression <paramref name="name"/> (its kernel name, e.g. <c>payload</c>).</summary>
    public static NfExpression Begin(NetlinkWriter writer, string name)
    {
        var element = writer.BeginNested(NFTA_LIST_ELEM);
        writer.PutString(NFTA_EXPR_NAME, name);
        return new NfExpression(element, writer.BeginNested(NFTA_EXPR_DATA));
    }

    /// <summary>Closes the expression.</summary>
    public void End(NetlinkWriter writer)
    {
        writer.EndNested(_data);
        writer.EndNested(_element);
    }

    /// <summary>Writes <c>NFTA_DATA_VALUE</c> bytes nested in <paramref name="type"/>, as cmp, immediate and bitwise carry data.</summary>
    public static void PutData(NetlinkWriter writer, ushort type, ReadOnlySpan<byte> value)
    {
        var d = writer.BeginNested(type);
        writer.PutBytes(NFTA_DATA_VALUE, value);
        writer.EndNested(d);
    }
}
