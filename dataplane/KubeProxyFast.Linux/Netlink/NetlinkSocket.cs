using System.Runtime.InteropServices;
using KubeProxyFast.Linux.Interop;
using Tmds.Linux;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink;

/// <summary>
/// A blocking <c>AF_NETLINK</c> socket to one kernel subsystem. It belongs to the network
/// namespace of the thread that opened it, for its whole life. Receives time out, so a kernel
/// that never answers is an error, not a hang.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    // The kernel queues its answers while a batch is processed, before we read any; a batch of
    // 50,000 service ports that fails everywhere queues one error per message.
    private const int ReceiveBufferBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

    private readonly string _name;
    private int _fd;
    private int _sendBuffer;

    private NetlinkSocket(int fd, string name)
    {
        _fd = fd;
        _name = name;
    }

    /// <summary>Opens a socket for <paramref name="protocol"/> (e.g. <see cref="NETLINK_NETFILTER"/>).</summary>
    public static NetlinkSocket Open(int protocol, string name)
    {
        var fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw new NativeCallException("socket", name, Errno.Last);
        }

        var socket = new NetlinkSocket(fd, name);
        try
        {
            var address = new sockaddr_nl { nl_family = (ushort)LibC.AF_NETLINK };
            if (LibC.bind(fd, (sockaddr*)&address, sizeof(sockaddr_nl)) != 0)
            {
                throw new NativeCallException("bind", name, Errno.Last);
            }

            // Errors carry only the request's header (not the whole message back) and the
            // kernel's own explanation where it gives one.
            socket.SetOption(SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            socket.SetOption(SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            if (!socket.TrySetOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, ReceiveBufferBytes))
            {
                socket.SetOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, ReceiveBufferBytes, "SO_RCVBUF");
            }

            var timeout = new TimeVal { tv_sec = (long)ReceiveTimeout.TotalSeconds };
            if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, &timeout, sizeof(TimeVal)) != 0)
            {
                throw new NativeCallException("setsockopt SO_RCVTIMEO", name, Errno.Last);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="messages"/> in one sendmsg, as nfnetlink needs a whole batch in one
    /// skb; the send buffer is raised to fit (SO_SNDBUFFORCE, as root) when it is too small.
    /// </summary>
    public void Send(ReadOnlySpan<byte> messages)
    {
        var needed = messages.Length + 64 * 1024;
        if (needed > _sendBuffer)
        {
            if (!TrySetOption(LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, needed))
            {
                SetOption(LibC.SOL_SOCKET, LibC.SO_SNDBUF, needed, "SO_SNDBUF");
            }

            _sendBuffer = needed;
        }

        fixed (byte* p = messages)
        {
            long n;
            do
            {
                n = (long)LibC.send(_fd, p, messages.Length, 0);
            }
            while (n < 0 && Errno.Last == Errno.EINTR);

            if (n < 0)
            {
                throw new NativeCallException("sendmsg", _name, Errno.Last);
            }

            if (n != messages.Length)
            {
                throw new NativeCallException($"sendmsg {_name}: sent {n} of {messages.Length} bytes");
            }
        }
    }

    /// <summary>Receives one datagram (one or more messages) into <paramref name="buffer"/>; returns its length.</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            long n;
            do
            {
                n = (long)LibC.recv(_fd, p, buffer.Length, 0);
            }
            while (n < 0 && Errno.Last == Errno.EINTR);

            if (n < 0)
            {
                var errno = Errno.Last;
                throw errno == Errno.EAGAIN
                    ? new TimeoutException($"recvmsg {_name}: no answer from the kernel in {ReceiveTimeout.TotalSeconds:0} s")
                    : new NativeCallException("recvmsg", _name, errno);
            }

            return (int)n;
        }
    }

    /// <summary>
    /// Sends the dump <paramref name="request"/> (sequence number <paramref name="sequence"/>) and
    /// calls <paramref name="handler"/> for each reply until NLMSG_DONE. A refusal (NLMSG_ERROR, or
    /// an NLMSG_DONE carrying a negated errno) throws what <paramref name="refused"/> makes of the
    /// errno and the kernel's extended-ack text; by default a <see cref="NetfilterException"/>
    /// naming <paramref name="what"/>, e.g. <c>list chains of kpf: ENOENT (2)</c>.
    /// </summary>
    public void Dump(
        ReadOnlySpan<byte> request, uint sequence, byte[] receive, string what, NetlinkMessageHandler handler,
        Func<int, string?, Exception>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Send(request);
        while (true)
        {
            var n = Receive(receive);
            var reader = new NetlinkMessageReader(receive.AsSpan(0, n));
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence && !(message.Type == NLMSG_ERROR && message.ErrorSequence == sequence))
                {
                    continue;
                }

                if (message.Type is NLMSG_ERROR or NLMSG_DONE)
                {
                    // Both carry the result: 0, or a negated errno.
                    if (message.Error == 0)
                    {
                        return;
                    }

                    var errno = -message.Error;
                    throw refused?.Invoke(errno, message.ExtendedAckMessage)
                        ?? new NetfilterException($"list {what}: {Errno.Name(errno)} ({errno})") { Errno = errno };
                }

                handler(message);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = LibC.close(_fd);
            _fd = -1;
        }
    }

    private void SetOption(int level, int option, int value, string optionName)
    {
        if (!TrySetOption(level, option, value))
        {
            throw new NativeCallException("setsockopt " + optionName, _name, Errno.Last);
        }
    }

    private bool TrySetOption(int level, int option, int value) => LibC.setsockopt(_fd, level, option, &value, sizeof(int)) == 0;

    // struct timeval (sys/time.h), for SO_RCVTIMEO.
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long tv_sec;
        public long tv_usec;
    }

    // struct sockaddr_nl (linux/netlink.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct sockaddr_nl
    {
        public ushort nl_family;
        public ushort nl_pad;
        public uint nl_pid;
        public uint nl_groups;
    }
}
