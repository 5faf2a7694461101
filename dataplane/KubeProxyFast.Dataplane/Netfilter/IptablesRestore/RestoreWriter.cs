using System.Globalization;
using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>
/// Writes the pieces of restore lines straight into a <see cref="TextWriter"/>: numbers, addresses
/// and chain names are formatted on the stack, so a rule costs no string of its own.
/// </summary>
internal sealed class RestoreWriter(TextWriter writer)
{
    public void Text(string text) => writer.Write(text);

    /// <summary>Ends a line with a bare LF whatever <see cref="TextWriter.NewLine"/> says: iptables-restore reads lines.</summary>
    public void EndLine() => writer.Write('\n');

    public void Number(int value)
    {
        Span<char> chars = stackalloc char[11];
        value.TryFormat(chars, out var n, default, CultureInfo.InvariantCulture);
        writer.Write(chars[..n]);
    }

    public void Address(IPAddress address)
    {
        Span<char> chars = stackalloc char[15];
        address.TryFormat(chars, out var n);
        writer.Write(chars[..n]);
    }

    /// <summary><c>-d 1.2.3.4/32</c> or <c>-s …</c>: a host match.</summary>
    public void Host(string flag, IPAddress address)
    {
        writer.Write(flag);
        Address(address);
        writer.Write("/32");
    }

    public void Chain(string prefix, ReadOnlySpan<byte> hash)
    {
        Span<char> name = stackalloc char[KubeChains.MaxChainNameLength];
        prefix.CopyTo(name);
        ChainHash.Encode(hash, name[prefix.Length..]);
        writer.Write(name[..(prefix.Length + ChainHash.Chars)]);
    }

    /// <summary><c>:KUBE-SVC-… - [0:0]</c>: declares the chain, and flushes it if it exists.</summary>
    public void Declare(string prefix, ReadOnlySpan<byte> hash)
    {
        writer.Write(':');
        Chain(prefix, hash);
        writer.Write(" - [0:0]\n");
    }

    /// <summary>Starts a rule: <c>-A KUBE-SVC-…</c>.</summary>
    public void Append(string prefix, ReadOnlySpan<byte> hash)
    {
        writer.Write("-A ");
        Chain(prefix, hash);
    }

    /// <summary><c> -p tcp</c>.</summary>
    public void Protocol(L4Protocol protocol) => writer.Write(protocol == L4Protocol.Udp ? " -p udp" : " -p tcp");

    /// <summary><c> -m tcp --dport 80</c>.</summary>
    public void DestinationPort(L4Protocol protocol, int port)
    {
        writer.Write(protocol == L4Protocol.Udp ? " -m udp --dport " : " -m tcp --dport ");
        Number(port);
    }

    /// <summary><c> -m comment --comment "ns/name:port suffix"</c>; the id was checked to need no escaping.</summary>
    public void Comment(ServicePortId id, string suffix)
    {
        writer.Write(" -m comment --comment \"");
        writer.Write(id.Namespace);
        writer.Write('/');
        writer.Write(id.Name);
        writer.Write(':');
        writer.Write(id.Port);
        writer.Write(suffix);
        writer.Write('"');
    }

    /// <summary>
    /// <c> -m statistic --mode random --probability 0.3333333333</c>: 1/<paramref name="remaining"/>,
    /// with the 10 decimals kube-proxy prints (the kernel keeps 31 bits, so more would change nothing).
    /// </summary>
    public void Probability(int remaining)
    {
        writer.Write(" -m statistic --mode random --probability ");
        Span<char> chars = stackalloc char[16];
        (1.0 / remaining).TryFormat(chars, out var n, "F10", CultureInfo.InvariantCulture);
        writer.Write(chars[..n]);
    }
}
