using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.Route.RouteNetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>
/// A conversation with rtnetlink (<c>NETLINK_ROUTE</c>): links, addresses, routes and neighbours
/// of the network namespace of the thread that opened it — for its whole life, whichever thread
/// calls it later (open it inside <c>NetworkNamespaces.Run</c> to manage another namespace). Each
/// change is one request answered by an ACK; a refusal throws <see cref="NetlinkException"/>
/// naming the message type, the object and the errno, e.g. <c>RTM_NEWLINK veth0: File exists (EEXIST)</c>.
/// Not thread-safe.
/// </summary>
public sealed partial class RouteNetlinkConnection : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _request = new();

    // A dump answers in datagrams of at most 32 KiB (the kernel's netlink_dump allocation).
    private readonly byte[] _receive = new byte[64 * 1024];
    private uint _sequence = (uint)Environment.TickCount;

    private RouteNetlinkConnection(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens rtnetlink in the calling thread's network namespace.</summary>
    public static RouteNetlinkConnection Open() => new(NetlinkSocket.Open(NETLINK_ROUTE, "rtnetlink"));

    /// <inheritdoc/>
    public void Dispose()
    {
        _socket.Dispose();
        _request.Dispose();
    }

    /// <summary>Starts the one message of a request: nlmsghdr (REQUEST, plus <paramref name="flags"/>) then the family's fixed header.</summary>
    private Span<byte> Begin(ushort type, ushort flags, int headerLength, out int start)
    {
        _request.Reset();
        start = _request.BeginMessage(type, (ushort)(NLM_F_REQUEST | flags), ++_sequence);
        return _request.AppendZeroed(headerLength);
    }

    /// <summary>
    /// Sends the request begun at <paramref name="start"/> (with NLM_F_ACK) and waits for its ACK,
    /// handing any reply before it to <paramref name="reply"/>; a refusal throws naming
    /// <paramref name="operation"/> and <paramref name="target"/>.
    /// </summary>
    private void Execute(int start, string operation, string target, NetlinkMessageHandler? reply = null)
    {
        var sequence = Send(start);
        while (true)
        {
            var reader = ReceiveAnswers();
            while (reader.TryRead(out var message))
            {
                if (message.Type == NLMSG_ERROR)
                {
                    if (message.ErrorSequence != sequence)
                    {
                        continue;
                    }

                    if (message.Error == 0)
                    {
                        return;
                    }

                    throw NetlinkException.Refused(operation, target, -message.Error, message.ExtendedAckMessage);
                }

                if (message.Sequence == sequence)
                {
                    reply?.Invoke(message);
                }
            }
        }
    }

    /// <summary>
    /// Sends the dump request begun at <paramref name="start"/> and hands every reply to
    /// <paramref name="reply"/> until NLMSG_DONE (a dump is never ACKed: the kernel answers
    /// NLMSG_DONE, or NLMSG_ERROR when it refuses).
    /// </summary>
    private void Dump(int start, string operation, NetlinkMessageHandler reply)
    {
        _request.EndMessage(start);
        _socket.Dump(_request.Written, _sequence, _receive, operation, reply,
            (errno, kernelMessage) => NetlinkException.Refused(operation, "dump", errno, kernelMessage));
    }

    /// <summary>Ends the request begun at <paramref name="start"/>, sends it, and returns its sequence number.</summary>
    private uint Send(int start)
    {
        _request.EndMessage(start);
        _socket.Send(_request.Written);
        return _sequence;
    }

    /// <summary>The messages of the next datagram the kernel sends back (blocks until one arrives).</summary>
    private NetlinkMessageReader ReceiveAnswers() => new(_receive.AsSpan(0, _socket.Receive(_receive)));

    /// <summary>Runs <paramref name="send"/> with the raw descriptor of <paramref name="handle"/>, kept alive meanwhile.</summary>
    private static void WithDescriptor(SafeHandle handle, Action<uint> send)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            send((uint)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static byte Family(IPAddress address) => Family(address.AddressFamily);

    private static byte Family(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AF_INET,
        AddressFamily.InterNetworkV6 => AF_INET6,
        AddressFamily.Unspecified => AF_UNSPEC,
        _ => throw new ArgumentException($"{family} is neither IPv4 nor IPv6", nameof(family)),
    };

    // The fixed headers (ifinfomsg, ifaddrmsg, rtmsg, ndmsg) hold their integers in host order.
    private static int ReadHostInt32(ReadOnlySpan<byte> payload, int offset) => MemoryMarshal.Read<int>(payload[offset..]);

    private static void WriteHost<T>(Span<byte> header, int offset, T value)
        where T : struct => MemoryMarshal.Write(header[offset..], in value);

    private static void CheckLength(ReadOnlySpan<byte> payload, int headerLength, string what)
    {
        if (payload.Length < headerLength)
        {
            NetlinkThrowHelper.ThrowMalformed($"{what} of {payload.Length} bytes, shorter than its {headerLength}-byte header");
        }
    }
}
