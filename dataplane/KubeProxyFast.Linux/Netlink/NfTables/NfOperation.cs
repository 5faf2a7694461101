namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>What a message of a batch does, for the error that names it (<c>add rule kpf/svc-…: ENOENT</c>).</summary>
public enum NfOperation : byte
{
    /// <summary>Adds a table (NFT_MSG_NEWTABLE).</summary>
    AddTable,

    /// <summary>Deletes a table (NFT_MSG_DELTABLE).</summary>
    DeleteTable,

    /// <summary>Adds a chain (NFT_MSG_NEWCHAIN).</summary>
    AddChain,

    /// <summary>Removes every rule of a chain (NFT_MSG_DELRULE without a handle).</summary>
    FlushChain,

    /// <summary>Deletes a chain (NFT_MSG_DELCHAIN).</summary>
    DeleteChain,

    /// <summary>Adds a rule (NFT_MSG_NEWRULE).</summary>
    AddRule,

    /// <summary>Adds a set or map (NFT_MSG_NEWSET).</summary>
    AddSet,

    /// <summary>Deletes a set or map (NFT_MSG_DELSET).</summary>
    DeleteSet,

    /// <summary>Adds elements to a set or map (NFT_MSG_NEWSETELEM).</summary>
    AddElements,

    /// <summary>Deletes elements of a set or map (NFT_MSG_DELSETELEM).</summary>
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
