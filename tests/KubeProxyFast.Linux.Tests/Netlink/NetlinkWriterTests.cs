using KubeProxyFast.Linux.Netlink;

namespace KubeProxyFast.Linux.Tests.Netlink;

/// <summary>The bytes of the rtnetlink-shaped pieces of the writer, laid out by hand from netlink.h and rtnetlink.h.</summary>
public sealed class NetlinkWriterTests
{
    [Fact]
    public void BeginMessage_WithFixedHeaderAndHostOrderAttribute_LaysOutAsTheKernelReadsIt()
    {
        using var writer = new NetlinkWriter();

        var start = writer.BeginMessage(16, 0x5, 7); // RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq 7
        var header = writer.AppendZeroed(16); // struct ifinfomsg
        header[8] = 1; // ifi_flags = IFF_UP
        writer.PutHostU32(4, 1400); // IFLA_MTU
        writer.EndMessage(start);

        const string expected =
            "28000000" + "1000" + "0500" + "07000000" + "00000000" // nlmsghdr: 40 bytes, type 16, flags 5, seq 7, pid 0
            + "00000000" + "00000000" + "01000000" + "00000000" // ifinfomsg: family/pad/type, index, flags, change
            + "0800" + "0400" + "78050000"; // IFLA_MTU 1400 in host (little-endian) order, not network order
        Assert.Equal(expected, Convert.ToHexStringLower(writer.Written));
    }

    [Fact]
    public void AppendZeroed_UnalignedLength_PadsTheMessageTo4Bytes()
    {
        using var writer = new NetlinkWriter();
        writer.PutU32(1, 0xffffffff);

        var header = writer.AppendZeroed(5);

        Assert.Equal(5, header.Length);
        Assert.Equal(16, writer.Length);
        Assert.Equal("0000000000000000", Convert.ToHexStringLower(writer.Written[8..]));
    }

    [Fact]
    public void AsHostU32_WhatPutHostU32Wrote_ReadsTheSameValue()
    {
        using var writer = new NetlinkWriter();
        writer.PutHostU32(28, 0x01020304);

        Assert.True(new NetlinkAttributes(writer.Written).TryFind(28, out var attribute));
        Assert.Equal(0x01020304u, attribute.AsHostU32());
        Assert.Equal(0x04030201u, attribute.AsU32());
    }
}
