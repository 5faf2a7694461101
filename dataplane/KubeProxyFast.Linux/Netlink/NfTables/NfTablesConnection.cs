using KubeProxyFast.Linux.Interop;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.NfTables.NfTablesConstants;

namespace KubeProxyFast.Linux.Netlink.NfTables;

/// <summary>
/// A conversation with nf_tables over <c>NETLINK_NETFILTER</c>: commits batches and dumps
/// objects. Messages in a batch ask for no ACK, so a successful batch of 500,000 messages costs
/// no reply traffic; a <c>NFT_MSG_GETGEN</c> sent right after it marks the end of its answers
/// (replies on one socket keep their order), and any error before that belongs to the batch.
/// Not thread-safe: one sync loop owns a connection. It works in the network namespace of the
/// thread that opened it.
/// </summary>
public sealed class NfTablesConnection : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly byte[] _receive = new byte[256 * 1024];
    private readonly NetlinkWriter _request = new();
    private uint _sequence = (uint)Environment.TickCount;

    private NfTablesConnection(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens a connection in the calling thread's network namespace.</summary>
    public static NfTablesConnection Open() => new(NetlinkSocket.Open(NETLINK_NETFILTER, "nf_tables"));

    /// <summary>A fresh batch with its begin marker written.</summary>
    public NfBatch CreateBatch() => new(NextSequences(1 << 24));

    /// <summary>Starts <paramref name="batch"/> over for reuse.</summary>
    public void ResetBatch(NfBatch batch) => batch.Reset(NextSequences(1 << 24));

    /// <summary>
    /// Sends the batch and waits for the kernel's verdict: returns when it was applied, throws
    /// <see cref="NetfilterException"/> naming the first refused message (and how many were) when
    /// it was not, in which case nothing of it took effect.
    /// </summary>
    public void Commit(NfBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.MessageCount == 0)
        {
            return;
        }

        batch.Seal();
        _socket.Send(batch.Writer.Written);
        string? firstError = null;
        var firstErrno = 0;
        var errors = 0;
        var marker = SendGenerationRequest();
        while (true)
        {
            int n;
            try
            {
                n = _socket.Receive(_receive);
            }
            catch (NativeCallException e) when (e.Errno == Errno.ENOBUFS)
            {
                // Our receive queue overflowed with errors: the batch failed, its details are lost.
                errors++;
                firstError ??= "the kernel's replies overflowed the receive buffer (ENOBUFS)";
                marker = SendGenerationRequest();
                continue;
            }

            var reader = new NetlinkMessageReader(_receive.AsSpan(0, n));
            while (reader.TryRead(out var message))
            {
                if (message.Type == NLMSG_ERROR && message.ErrorSequence != marker && message.Error != 0)
                {
                    errors++;
                    if (firstError is null)
                    {
                        firstErrno = -message.Error;
                        var what = batch.Describe(message.ErrorSequence) ?? $"message {message.ErrorSequence}";
                        var kernel = message.ExtendedAckMessage;
                        firstError = $"{what}: {Errno.Name(firstErrno)} ({firstErrno}){(kernel is null ? "" : " — " + kernel)}";
                    }
                }
                else if (message.Sequence == marker || (message.Type == NLMSG_ERROR && message.ErrorSequence == marker))
                {
                    if (firstError is not null)
                    {
                        throw new NetfilterException(errors == 1 ? firstError : $"{firstError} (and {errors - 1} more errors; the batch of {batch.MessageCount} messages was not applied)")
                        {
                            Errno = firstErrno,
                        };
                    }

                    return;
                }
            }
        }
    }

    /// <summary>
    /// Dumps objects of <paramref name="getType"/> (e.g. <see cref="NFT_MSG_GETCHAIN"/>) in the IPv4
    /// family, filtered by the attributes <paramref name="filter"/> writes, calling
    /// <paramref name="handler"/> for each; ENOENT (no such table or set) throws with <paramref name="what"/>.
    /// </summary>
    public void Dump(ushort getType, string what, Action<NetlinkWriter>? filter, NetlinkMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var sequence = NextSequences(1);
        _request.Reset();
        var start = _request.BeginMessage((ushort)((NFNL_SUBSYS_NFTABLES << 8) | getType), NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, sequence, NFPROTO_IPV4, 0);
        filter?.Invoke(_request);
        _request.EndMessage(start);
        _socket.Dump(_request.Written, sequence, _receive, what, handler);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _socket.Dispose();
        _request.Dispose();
    }

    private uint SendGenerationRequest()
    {
        var sequence = NextSequences(1);
        _request.Reset();
        var start = _request.BeginMessage((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN, NLM_F_REQUEST, sequence, NFPROTO_UNSPEC, 0);
        _request.EndMessage(start);
        _socket.Send(_request.Written);
        return sequence;
    }

    private uint NextSequences(uint count)
    {
        var first = _sequence;
        _sequence += count;
        return first;
    }
}
