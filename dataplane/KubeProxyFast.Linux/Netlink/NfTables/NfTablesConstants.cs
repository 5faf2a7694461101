namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>
/// The nf_tables netlink vocabulary we use, named exactly as in <c>linux/netfilter/nf_tables.h</c>
/// (and netfilter.h for hooks), so a reader can check each against the header.
/// </summary>
public static class NfTablesConstants
{
    // enum nf_tables_msg_types
    public const ushort NFT_MSG_NEWTABLE = 0;
    public const ushort NFT_MSG_GETTABLE = 1;
    public const ushort NFT_MSG_DELTABLE = 2;
    public const ushort NFT_MSG_NEWCHAIN = 3;
    public const ushort NFT_MSG_GETCHAIN = 4;
    public const ushort NFT_MSG_DELCHAIN = 5;
    public const ushort NFT_MSG_NEWRULE = 6;
    public const ushort NFT_MSG_GETRULE = 7;
    public const ushort NFT_MSG_DELRULE = 8;
    public const ushort NFT_MSG_NEWSET = 9;
    public const ushort NFT_MSG_GETSET = 10;
    public const ushort NFT_MSG_DELSET = 11;
    public const ushort NFT_MSG_NEWSETELEM = 12;
    public const ushort NFT_MSG_GETSETELEM = 13;
    public const ushort NFT_MSG_DELSETELEM = 14;
    public const ushort NFT_MSG_NEWGEN = 15;
    public const ushort NFT_MSG_GETGEN = 16;

    // enum nft_list_attributes
    public const ushort NFTA_LIST_ELEM = 1;

    // enum nft_hook_attributes
    public const ushort NFTA_HOOK_HOOKNUM = 1;
    public const ushort NFTA_HOOK_PRIORITY = 2;

    // enum nft_table_attributes
    public const ushort NFTA_TABLE_NAME = 1;
    public const ushort NFTA_TABLE_FLAGS = 2;
    public const ushort NFTA_TABLE_USE = 3;

    // enum nft_chain_attributes
    public const ushort NFTA_CHAIN_TABLE = 1;
    public const ushort NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_CHAIN_HOOK = 4;
    public const ushort NFTA_CHAIN_POLICY = 5;
    public const ushort NFTA_CHAIN_USE = 6;
    public const ushort NFTA_CHAIN_TYPE = 7;

    // enum nft_rule_attributes
    public const ushort NFTA_RULE_TABLE = 1;
    public const ushort NFTA_RULE_CHAIN = 2;
    public const ushort NFTA_RULE_HANDLE = 3;
    public const ushort NFTA_RULE_EXPRESSIONS = 4;

    // enum nft_set_flags
    public const uint NFT_SET_ANONYMOUS = 0x1;
    public const uint NFT_SET_CONSTANT = 0x2;
    public const uint NFT_SET_MAP = 0x8;
    public const uint NFT_SET_TIMEOUT = 0x10;
    public const uint NFT_SET_EVAL = 0x20;

    // enum nft_set_desc_attributes
    public const ushort NFTA_SET_DESC_SIZE = 1;

    // enum nft_set_attributes
    public const ushort NFTA_SET_TABLE = 1;
    public const ushort NFTA_SET_NAME = 2;
    public const ushort NFTA_SET_FLAGS = 3;
    public const ushort NFTA_SET_KEY_TYPE = 4;
    public const ushort NFTA_SET_KEY_LEN = 5;
    public const ushort NFTA_SET_DATA_TYPE = 6;
    public const ushort NFTA_SET_DATA_LEN = 7;
    public const ushort NFTA_SET_DESC = 9;
    public const ushort NFTA_SET_ID = 10;
    public const ushort NFTA_SET_TIMEOUT = 11;
    public const ushort NFTA_SET_USERDATA = 13;

    // enum nft_set_elem_attributes
    public const ushort NFTA_SET_ELEM_KEY = 1;
    public const ushort NFTA_SET_ELEM_DATA = 2;
    public const ushort NFTA_SET_ELEM_TIMEOUT = 4;
    public const ushort NFTA_SET_ELEM_EXPIRATION = 5;

    // enum nft_set_elem_list_attributes
    public const ushort NFTA_SET_ELEM_LIST_TABLE = 1;
    public const ushort NFTA_SET_ELEM_LIST_SET = 2;
    public const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    public const ushort NFTA_SET_ELEM_LIST_SET_ID = 4;

    // enum nft_data_types
    public const uint NFT_DATA_VERDICT = 0xffffff00;

    // enum nft_data_attributes
    public const ushort NFTA_DATA_VALUE = 1;
    public const ushort NFTA_DATA_VERDICT = 2;

    // enum nft_verdict_attributes
    public const ushort NFTA_VERDICT_CODE = 1;
    public const ushort NFTA_VERDICT_CHAIN = 2;

    // enum nft_verdicts, and NF_DROP / NF_ACCEPT of netfilter.h
    public const int NF_DROP = 0;
    public const int NF_ACCEPT = 1;
    public const int NFT_CONTINUE = -1;
    public const int NFT_BREAK = -2;
    public const int NFT_JUMP = -3;
    public const int NFT_GOTO = -4;
    public const int NFT_RETURN = -5;

    // enum nft_expr_attributes
    public const ushort NFTA_EXPR_NAME = 1;
    public const ushort NFTA_EXPR_DATA = 2;

    // enum nft_registers: the verdict register, 16-byte data registers, and the 4-byte views of
    // the first one that a concatenation fills field by field (NFT_REG_1 is NFT_REG32_00..03).
    public const uint NFT_REG_VERDICT = 0;
    public const uint NFT_REG_1 = 1;
    public const uint NFT_REG_2 = 2;
    public const uint NFT_REG32_01 = 9;
    public const uint NFT_REG32_02 = 10;

    // Hooks (enum nf_inet_hooks, linux/netfilter.h).
    public const uint NF_INET_PRE_ROUTING = 0;
    public const uint NF_INET_LOCAL_IN = 1;
    public const uint NF_INET_FORWARD = 2;
    public const uint NF_INET_LOCAL_OUT = 3;
    public const uint NF_INET_POST_ROUTING = 4;

    // Priorities (enum nf_ip_hook_priorities, linux/netfilter_ipv4.h).
    public const int NF_IP_PRI_NAT_DST = -100;
    public const int NF_IP_PRI_FILTER = 0;
    public const int NF_IP_PRI_NAT_SRC = 100;

    // nft's data types for set keys (nftables datatype.h), 6 bits each in a concatenation.
    public const uint TYPE_IPADDR = 7;
    public const uint TYPE_INET_PROTOCOL = 12;
    public const uint TYPE_INET_SERVICE = 13;
    public const uint TYPE_INTEGER = 4;
    public const int TYPE_BITS = 6;

    // IP protocol numbers.
    public const byte IPPROTO_TCP = 6;
    public const byte IPPROTO_UDP = 17;
}
