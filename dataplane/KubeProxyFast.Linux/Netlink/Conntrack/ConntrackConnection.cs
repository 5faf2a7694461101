using KubeProxyFast.Linux.Interop;
using static KubeProxyFast.Linux.Netlink.Conntrack.ConntrackConstants;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.Conntrack;

/// <summary>
/// A conversation with ctnetlink (<c>NFNL_SUBSYS_CTNETLINK</c> over <c>NETLINK_NETFILTER</c>):
/// dumps the IPv4 conntrack table and deletes entries by their original tuple. Works in the
/// network namespace of the thread that opened it; not thread-safe.
/// </summary>
public sealed class ConntrackConnection : IDisposable
{
    // Deletes are sent this many per sendmsg, then their ACKs read, so neither the send skb nor
    // our receive queue grows with the number of stale flows (a node can hold a million).
    private const int DeletesPerSend = 256;

    private readonly NetlinkSocket _socket;
    private readonly byte[] _receive = new byte[256 * 1024];
    private readonly NetlinkWriter _request = new();
    private uint _sequence = (uint)Environment.TickCount;

    private ConntrackConnection(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens a connection in the calling thread's network namespace.</summary>
    public static ConntrackConnection Open() => new(NetlinkSocket.Open(NETLINK_NETFILTER, "ctnetlink"));

    /// <summary>
    /// Dumps every IPv4 entry and returns those <paramref name="match"/> accepts; a refusal throws
    /// <see cref="NetfilterException"/> naming <paramref name="what"/>.
    /// </summary>
    public List<ConntrackFlow> Dump(string what, Func<ConntrackFlow, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new List<ConntrackFlow>();
        var sequence = _sequence++;
        _request.Reset();

        // nfgenmsg family AF_INET makes the kernel skip IPv6 entries itself; the rest is filtered
        // here, which works on every kernel (CTA_FILTER for tuples needs 5.9 or later).
        var start = _request.BeginMessage(CtMessageType(IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, sequence, NFPROTO_IPV4, 0);
        _request.EndMessage(start);
        _socket.Dump(_request.Written, sequence, _receive, "conntrack " + what, (in NetlinkMessage message) =>
        {
            if (message.Type == CtMessageType(IPCTNL_MSG_CT_NEW) && TryReadFlow(message.Attributes, out var flow) && match(flow))
            {
                found.Add(flow);
            }
        });
        return found;
    }

    /// <summary>
    /// Deletes <paramref name="flows"/> by their original tuple and id; returns how many the
    /// kernel removed. An entry already gone (ENOENT: it expired, or its tuple now belongs to a
    /// newer entry with another id) is not counted and not an error; any other refusal throws
    /// <see cref="NetfilterException"/> naming the flow, after the ACKs of its send are read.
    /// </summary>
    public int Delete(IReadOnlyList<ConntrackFlow> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var deleted = 0;
        for (var first = 0; first < flows.Count; first += DeletesPerSend)
        {
            deleted += DeleteChunk(flows, first, Math.Min(DeletesPerSend, flows.Count - first));
        }

        return deleted;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _socket.Dispose();
        _request.Dispose();
    }

    private static ushort CtMessageType(ushort message) => (ushort)((NFNL_SUBSYS_CTNETLINK << 8) | message);

    private static bool TryReadFlow(NetlinkAttributes attributes, out ConntrackFlow flow)
    {
        flow = default;
        if (!attributes.TryFind(CTA_TUPLE_ORIG, out var original) || !attributes.TryFind(CTA_TUPLE_REPLY, out var reply)
            || !ConntrackTuple.TryRead(original.Nested, out var originalTuple) || !ConntrackTuple.TryRead(reply.Nested, out var replyTuple))
        {
            return false;
        }

        flow = new ConntrackFlow(originalTuple, replyTuple, attributes.TryFind(CTA_ID, out var id) ? id.AsU32() : 0);
        return true;
    }

    private int DeleteChunk(IReadOnlyList<ConntrackFlow> flows, int first, int count)
    {
        var firstSequence = _sequence;
        _sequence += (uint)count;
        _request.Reset();
        for (var i = 0; i < count; i++)
        {
            var flow = flows[first + i];
            var start = _request.BeginMessage(CtMessageType(IPCTNL_MSG_CT_DELETE), NLM_F_REQUEST | NLM_F_ACK, firstSequence + (uint)i, NFPROTO_IPV4, 0);

            // A delete without a tuple flushes the whole table (ctnetlink_del_conntrack), so the
            // tuple is always written. The id makes the kernel refuse (ENOENT) an entry that
            // replaced ours under the same tuple since the dump.
            flow.Original.Write(_request, CTA_TUPLE_ORIG);
            if (flow.Id != 0)
            {
                _request.PutU32(CTA_ID, flow.Id);
            }

            _request.EndMessage(start);
        }

        _socket.Send(_request.Written);
        var deleted = 0;
        var answered = 0;
        var errors = 0;
        string? firstError = null;
        var firstErrno = 0;
        while (answered < count)
        {
            var n = _socket.Receive(_receive);
            var reader = new NetlinkMessageReader(_receive.AsSpan(0, n));
            while (reader.TryRead(out var message))
            {
                var index = message.ErrorSequence - firstSequence;
                if (message.Type != NLMSG_ERROR || index >= (uint)count)
                {
                    continue;
                }

                answered++;
                var errno = -message.Error;
                if (errno == 0)
                {
                    deleted++;
                }
                else if (errno != Errno.ENOENT)
                {
                    errors++;
                    if (firstError is null)
                    {
                        firstErrno = errno;
                        var kernel = message.ExtendedAckMessage;
                        firstError = $"delete conntrack {flows[first + (int)index].Original}: {Errno.Name(errno)} ({errno}){(kernel is null ? "" : " — " + kernel)}";
                    }
                }
            }
        }

        if (firstError is not null)
        {
            throw new NetfilterException(errors == 1 ? firstError : $"{firstError} (and {errors - 1} more errors)") { Errno = firstErrno };
        }

        return deleted;
    }
}
