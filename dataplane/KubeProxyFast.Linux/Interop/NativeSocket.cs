using System.Net;
using System.Net.Sockets;
using Tmds.Linux;

namespace KubeProxyFast.Linux.Interop;

/// <summary>
/// Raw non-blocking sockets for the event loops. Every failure that is not part of normal
/// non-blocking flow throws <see cref="NativeCallException"/> naming the call and the address.
/// </summary>
public static unsafe class NativeSocket
{
    private static readonly int SOCK_FLAGS = LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;

    /// <summary>
    /// A non-blocking TCP or UDP socket for <paramref name="family"/>; <paramref name="purpose"/>
    /// (e.g. the endpoint) names it in the error and is formatted only then — this runs per connection.
    /// </summary>
    public static int Create(AddressFamily family, bool udp, object purpose)
    {
        var domain = family == AddressFamily.InterNetwork ? (int)LibC.AF_INET : (int)LibC.AF_INET6;
        var type = (udp ? LibC.SOCK_DGRAM : LibC.SOCK_STREAM) | SOCK_FLAGS;
        var fd = LibC.socket(domain, type, 0);
        if (fd < 0)
        {
            throw new NativeCallException("socket", purpose.ToString() ?? "", Errno.Last);
        }

        return fd;
    }

    /// <summary>
    /// A listening (TCP) or bound (UDP) socket on <paramref name="endPoint"/>. SO_REUSEPORT lets
    /// every event loop own a socket on the same address (the kernel spreads connections over
    /// them); IP_FREEBIND lets a service address be bound before it is configured locally; a UDP
    /// socket reports each datagram's local address (IP_PKTINFO).
    /// </summary>
    public static int Listen(IPEndPoint endPoint, bool udp, int backlog)
    {
        var fd = Create(endPoint.AddressFamily, udp, endPoint.ToString());
        try
        {
            SetInt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1, "SO_REUSEADDR", endPoint);
            SetInt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, 1, "SO_REUSEPORT", endPoint);
            if (endPoint.AddressFamily == AddressFamily.InterNetwork)
            {
                SetInt(fd, LibC.SOL_IP, LibC.IP_FREEBIND, 1, "IP_FREEBIND", endPoint);
            }
            else
            {
                SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, 1, "IPV6_V6ONLY", endPoint);
            }

            var address = SocketAddressLayout.Encode(endPoint);
            fixed (byte* p = address)
            {
                if (LibC.bind(fd, (sockaddr*)p, address.Length) != 0)
                {
                    throw new NativeCallException("bind", endPoint.ToString(), Errno.Last);
                }
            }

            if (udp)
            {
                // Replies must leave from the address each datagram arrived on (see PacketInfo).
                PacketInfo.Enable(fd, endPoint);
            }
            else
            {
                // Accepted sockets inherit it, so the accept path needs no setsockopt.
                SetInt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, 1, "TCP_NODELAY", endPoint);
            }

            if (!udp && LibC.listen(fd, backlog) != 0)
            {
                throw new NativeCallException("listen", endPoint.ToString(), Errno.Last);
            }

            return fd;
        }
        catch
        {
            Close(fd);
            throw;
        }
    }

    /// <summary>The port a socket is bound to (after binding port 0).</summary>
    public static int LocalPort(int fd)
    {
        var address = stackalloc byte[SocketAddressLayout.MaxLength];
        socklen_t length = SocketAddressLayout.MaxLength;
        if (LibC.getsockname(fd, (sockaddr*)address, &length) != 0)
        {
            throw new NativeCallException("getsockname", fd.ToString(System.Globalization.CultureInfo.InvariantCulture), Errno.Last);
        }

        return SocketAddressLayout.ReadPort(new ReadOnlySpan<byte>(address, (int)length));
    }

    /// <summary>Starts a non-blocking connect; returns 0 when connected or in progress, else errno.</summary>
    public static int StartConnect(int fd, ReadOnlySpan<byte> address)
    {
        fixed (byte* p = address)
        {
            var rc = LibC.connect(fd, (sockaddr*)p, address.Length);
            if (rc == 0)
            {
                return 0;
            }

            var errno = Errno.Last;
            return errno == Errno.EINPROGRESS || errno == Errno.EINTR ? 0 : errno;
        }
    }

    /// <summary>SO_ERROR: the outcome of a non-blocking connect (0 = connected).</summary>
    public static int PendingError(int fd)
    {
        int value = 0;
        socklen_t length = sizeof(int);
        return LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, &value, &length) != 0 ? Errno.Last : value;
    }

    /// <summary>TCP_NODELAY: relayed request/response traffic must not wait for Nagle.</summary>
    public static void SetNoDelay(int fd)
    {
        int one = 1;
        _ = LibC.setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, &one, sizeof(int));
    }

    /// <summary>
    /// Closes with an RST instead of a FIN (SO_LINGER with a zero timeout): how a connection to
    /// a service without endpoints is refused at once, and how a reset is propagated.
    /// </summary>
    public static void CloseWithReset(int fd)
    {
        var linger = stackalloc int[2];
        linger[0] = 1;
        linger[1] = 0;
        _ = LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_LINGER, linger, 2 * sizeof(int));
        Close(fd);
    }

    /// <summary>close(2); EINTR is not retried (on Linux the descriptor is released anyway).</summary>
    public static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = LibC.close(fd);
        }
    }

    private static void SetInt(int fd, int level, int option, int value, string name, IPEndPoint endPoint)
    {
        if (LibC.setsockopt(fd, level, option, &value, sizeof(int)) != 0)
        {
            throw new NativeCallException("setsockopt " + name, endPoint.ToString(), Errno.Last);
        }
    }
}
