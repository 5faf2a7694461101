namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>What a message of a batch does, for the error that names it (<c>add rule kpf/svc-…: ENOENT</c>).</summary>
public enum NfOperation : byte
{
    AddTable,
    DeleteTable,
    AddChain,
    FlushChain,
    DeleteChain,
    AddRule,
    AddSet,
    DeleteSet,
    AddElements,
    DeleteElements,
}

/// <summary>Words for <see cref="NfOperation"/>, as nft prints its commands.</summary>
internal static class NfOperationText
{
    public static string Of(NfOperation operation) => operation switch
    {
        NfOperation.AddTable => "add table",
        NfOperation.DeleteTable => "delete table",
        NfOperation.AddChain => "add chain",
        NfOperation.FlushChain => "flush chain",
        NfOperation.DeleteChain => "delete chain",
        NfOperation.AddRule => "add rule",
        NfOperation.AddSet => "add set",
        NfOperation.DeleteSet => "delete set",
        NfOperation.AddElements => "add element",
        NfOperation.DeleteElements => "delete element",
        _ => operation.ToString(),
    };
}
