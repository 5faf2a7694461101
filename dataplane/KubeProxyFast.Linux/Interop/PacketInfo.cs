using System.Net;
using System.Net.Sockets;
using Tmds.Linux;

namespace KubeProxyFast.Linux.Interop;

/// <summary>
/// <c>IP_PKTINFO</c> and <c>IPV6_PKTINFO</c> (ip(7), ipv6(7)) on a UDP socket bound to a wildcard
/// address: <see cref="ReceiveFrom"/> reports the local address each datagram arrived on, and
/// <see cref="SendFrom"/> sends a reply from that address. Without it the kernel picks the reply's
/// source by route, which is not the address a REDIRECTed datagram was delivered to (127.0.0.1,
/// or the incoming interface's address): conntrack then finds no flow to reverse-NAT, and a client
/// connected to the service address drops the reply. Allocates nothing.
/// </summary>
public static unsafe class PacketInfo
{
    // sizeof(struct cmsghdr) on 64-bit Linux: size_t cmsg_len, int cmsg_level, int cmsg_type.
    private const int CmsgHeader = 16;

    // sizeof(struct in_pktinfo): int ipi_ifindex, in_addr ipi_spec_dst, in_addr ipi_addr.
    private const int InPktinfo = 12;

    // sizeof(struct in6_pktinfo): in6_addr ipi6_addr, unsigned ipi6_ifindex.
    private const int In6Pktinfo = 20;

    // CMSG_SPACE(sizeof(struct in6_pktinfo)) = 16 + 24, the larger of the two; room to spare for
    // anything else the socket is asked to report.
    private const int ControlSpace = 64;

    /// <summary>Asks the kernel to report each datagram's local address on <paramref name="fd"/>.</summary>
    /// <exception cref="NativeCallException">setsockopt failed.</exception>
    public static void Enable(int fd, IPEndPoint address)
    {
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        int one = 1;
        if (LibC.setsockopt(fd, v6 ? LibC.IPPROTO_IPV6 : LibC.IPPROTO_IP, v6 ? LibC.IPV6_RECVPKTINFO : LibC.IP_PKTINFO, &one, sizeof(int)) != 0)
        {
            throw new NativeCallException(v6 ? "setsockopt IPV6_RECVPKTINFO" : "setsockopt IP_PKTINFO", address.ToString(), Errno.Last);
        }
    }

    /// <summary>
    /// recvmsg(2) of one datagram without blocking: its bytes into <paramref name="buffer"/>, the
    /// sender into <paramref name="address"/> (<paramref name="addressLength"/> in: room, out: length),
    /// and the local address it arrived on into <paramref name="local"/> (default if not reported).
    /// </summary>
    /// <returns>The datagram's length, or -1 with errno set.</returns>
    public static long ReceiveFrom(int fd, byte* buffer, int length, byte* address, ref int addressLength, out LocalAddress local)
    {
        var control = stackalloc byte[ControlSpace];
        iovec iov = default;
        var msg = Datagram(&iov, buffer, length, address, addressLength);
        msg.msg_control = control;
        msg.msg_controllen = ControlSpace;
        var n = (long)LibC.recvmsg(fd, &msg, LibC.MSG_DONTWAIT);
        local = default;
        if (n < 0)
        {
            return n;
        }

        addressLength = (int)msg.msg_namelen;
        for (var c = LibC.CMSG_FIRSTHDR(&msg); c != null; c = LibC.CMSG_NXTHDR(&msg, c))
        {
            var data = LibC.CMSG_DATA(c);
            if (c->cmsg_level == LibC.IPPROTO_IP && c->cmsg_type == LibC.IP_PKTINFO)
            {
                // ipi_spec_dst: the local address the datagram was delivered to (after any REDIRECT).
                local = LocalAddress.FromIPv4(new ReadOnlySpan<byte>(data + sizeof(int), 4));
            }
            else if (c->cmsg_level == LibC.IPPROTO_IPV6 && c->cmsg_type == LibC.IPV6_PKTINFO)
            {
                local = LocalAddress.FromIPv6(new ReadOnlySpan<byte>(data, 16));
            }
        }

        return n;
    }

    /// <summary>
    /// sendmsg(2) of one datagram to <paramref name="address"/> without blocking, from
    /// <paramref name="local"/> when it is known (else from the address the kernel picks).
    /// </summary>
    /// <returns>The bytes sent, or -1 with errno set.</returns>
    public static long SendFrom(int fd, byte* buffer, int length, byte* address, int addressLength, in LocalAddress local)
    {
        var control = stackalloc byte[ControlSpace];
        iovec iov = default;
        var msg = Datagram(&iov, buffer, length, address, addressLength);
        if (local.Family != AddressFamily.Unspecified)
        {
            var v4 = local.Family == AddressFamily.InterNetwork;
            var payload = v4 ? InPktinfo : In6Pktinfo;
            // Only the one cmsg sent needs zeroing, not the whole buffer.
            new Span<byte>(control, (int)LibC.CMSG_SPACE(payload)).Clear();
            var c = (cmsghdr*)control;
            var data = LibC.CMSG_DATA(c);
            if (v4)
            {
                // ipi_ifindex 0 (route by address), ipi_spec_dst the source; ipi_addr is ignored on send.
                c->cmsg_level = LibC.IPPROTO_IP;
                c->cmsg_type = LibC.IP_PKTINFO;
                local.WriteTo(new Span<byte>(data + sizeof(int), 4));
            }
            else
            {
                c->cmsg_level = LibC.IPPROTO_IPV6;
                c->cmsg_type = LibC.IPV6_PKTINFO;
                local.WriteTo(new Span<byte>(data, 16));
            }

            // CMSG_LEN exactly: the kernel refuses an IP_PKTINFO whose cmsg_len is anything else.
            c->cmsg_len = (uint)(CmsgHeader + payload);
            msg.msg_control = control;
            msg.msg_controllen = (uint)LibC.CMSG_SPACE(payload);
        }

        return (long)LibC.sendmsg(fd, &msg, LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL);
    }

    // The msghdr of one datagram in one buffer, to or from address; *iov lives in the caller's frame
    // for as long as the msghdr is used. The control buffer is the caller's business.
    private static msghdr Datagram(iovec* iov, byte* buffer, int length, byte* address, int addressLength)
    {
        iov->iov_base = buffer;
        iov->iov_len = (size_t)length;
        msghdr msg = default;
        msg.msg_name = address;
        msg.msg_namelen = (uint)addressLength;
        msg.msg_iov = iov;
        msg.msg_iovlen = 1;
        return msg;
    }
}
