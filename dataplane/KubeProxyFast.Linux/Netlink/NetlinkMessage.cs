using System.Buffers.Binary;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;

namespace KubeProxyFast.Linux.Netlink;

/// <summary>One netlink message in a receive buffer: its header fields and payload (after nlmsghdr).</summary>
public readonly ref struct NetlinkMessage
{
    /// <summary>A message read from a buffer.</summary>
    public NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        Payload = payload;
    }

    /// <summary>nlmsg_type: the message type (NLMSG_ERROR, NLMSG_DONE, or the family's own).</summary>
    public ushort Type { get; }

    /// <summary>nlmsg_flags.</summary>
    public ushort Flags { get; }

    /// <summary>nlmsg_seq: the sequence number of the request it answers.</summary>
    public uint Sequence { get; }

    /// <summary>Everything after the 16-byte nlmsghdr.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For a netfilter message: the attributes after nfgenmsg.</summary>
    public NetlinkAttributes Attributes => new(Payload.Length >= NFGENMSG_LEN ? Payload[NFGENMSG_LEN..] : default);

    /// <summary>For an NLMSG_ERROR: the negated errno (0 is an ACK).</summary>
    public int Error => Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload) : 0;

    /// <summary>For an NLMSG_ERROR: the sequence number of the request it answers.</summary>
    public uint ErrorSequence => Payload.Length >= 20 ? BinaryPrimitives.ReadUInt32LittleEndian(Payload[12..]) : 0;

    /// <summary>For an NLMSG_ERROR with extended ack: the kernel's message, or null.</summary>
    public string? ExtendedAckMessage
    {
        get
        {
            if ((Flags & NLM_F_ACK_TLVS) == 0 || Payload.Length < 20)
            {
                return null;
            }

            // nlmsgerr is the error and the request's header, plus its payload unless capped.
            var requestLength = (Flags & NLM_F_CAPPED) != 0 ? NLMSG_HDRLEN : (int)BinaryPrimitives.ReadUInt32LittleEndian(Payload[4..]);
            var offset = 4 + Align(requestLength);
            if (offset > Payload.Length)
            {
                return null;
            }

            foreach (var attribute in new NetlinkAttributes(Payload[offset..]))
            {
                if (attribute.Type == NLMSGERR_ATTR_MSG)
                {
                    return attribute.AsString();
                }
            }

            return null;
        }
    }
}

/// <summary>Walks the messages of one receive buffer.</summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkMessageReader(ReadOnlySpan<byte> buffer) => _rest = buffer;

    /// <summary>Reads the next message; false at the end of the buffer.</summary>
    public bool TryRead(out NetlinkMessage message)
    {
        if (_rest.Length < NLMSG_HDRLEN)
        {
            message = default;
            return false;
        }

        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < NLMSG_HDRLEN || length > _rest.Length)
        {
            NetlinkThrowHelper.ThrowMalformed($"message length {length} with {_rest.Length} bytes left");
        }

        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            _rest[NLMSG_HDRLEN..length]);
        _rest = _rest[Math.Min(Align(length), _rest.Length)..];
        return true;
    }
}
