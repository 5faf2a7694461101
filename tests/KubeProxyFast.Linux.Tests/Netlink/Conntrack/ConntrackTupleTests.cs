using System.Net;
using KubeProxyFast.Linux.Netlink;
using KubeProxyFast.Linux.Netlink.Conntrack;
using static KubeProxyFast.Linux.Netlink.Conntrack.ConntrackConstants;

namespace KubeProxyFast.Linux.Tests.Netlink.Conntrack;

/// <summary>The bytes of a tuple, laid out by hand from nfnetlink_conntrack.h: nests flagged, addresses and ports in network order.</summary>
public sealed class ConntrackTupleTests
{
    private static readonly ConntrackTuple Tuple = new(
        ConntrackTuple.ToU32(IPAddress.Parse("198.18.0.5")), ConntrackTuple.ToU32(IPAddress.Parse("198.19.0.53")), IPPROTO_UDP, 40000, 53);

    [Fact]
    public void Write_UdpTuple_NestsIpAndProtoInNetworkOrder()
    {
        using var writer = new NetlinkWriter();
        Tuple.Write(writer, CTA_TUPLE_ORIG);

        const string expected =
            "34000180" // CTA_TUPLE_ORIG | NLA_F_NESTED, 52 bytes
            + "14000180" + "08000100c6120005" + "08000200c6130035" // CTA_TUPLE_IP { CTA_IP_V4_SRC, CTA_IP_V4_DST }
            + "1c000280" + "0500010011000000" + "060002009c400000" + "0600030000350000"; // CTA_TUPLE_PROTO { NUM 17, SRC_PORT 40000, DST_PORT 53 }, padded
        Assert.Equal(expected, Convert.ToHexStringLower(writer.Written));
    }

    [Fact]
    public void TryRead_WhatWriteWrote_GivesTheSameTuple()
    {
        using var writer = new NetlinkWriter();
        Tuple.Write(writer, CTA_TUPLE_ORIG);

        Assert.True(new NetlinkAttributes(writer.Written).TryFind(CTA_TUPLE_ORIG, out var nest));
        Assert.True(ConntrackTuple.TryRead(nest.Nested, out var read));
        Assert.Equal(Tuple, read);
        Assert.Equal("udp 198.18.0.5:40000 -> 198.19.0.53:53", read.ToString());
    }

    [Fact]
    public void ToU32_IPv6Address_Throws() =>
        Assert.Throws<ArgumentException>(() => ConntrackTuple.ToU32(IPAddress.IPv6Loopback));
}
