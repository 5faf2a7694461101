using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

/// <summary>
/// Renders a <see cref="ProxySnapshot"/> as input for <c>iptables-restore --noflush</c> in
/// kube-proxy's classic iptables layout, kernel mode (DNAT to the endpoints): the <c>filter</c>
/// table rejects service ports that have no endpoints, the <c>nat</c> table balances the others.
/// The output declares, and so flushes and rewrites, only our own chains; see <c>README.md</c>
/// for the layout and for why builtin-chain jumps are opt-in (<see cref="IptablesRenderOptions.HookJumps"/>).
/// </summary>
public static partial class IptablesRestoreRenderer
{
    // Bytes of output per service port and per endpoint, roughly, from the golden test's output;
    // only a capacity hint so a large snapshot is not built by repeated chunk growth.
    private const int CharsPerPort = 400;
    private const int CharsPerEndpoint = 300;

    /// <summary>Renders <paramref name="snapshot"/> into one string.</summary>
    /// <exception cref="ArgumentException">A service port has an IPv6 address, an id that cannot go into a comment, or a zero affinity timeout.</exception>
    public static string Render(ProxySnapshot snapshot, IptablesRenderOptions? options = null)
    {
        var size = Check(snapshot);
        var capacity = (int)Math.Min(Array.MaxLength, 256L + ((long)size.Ports * CharsPerPort) + ((long)size.Endpoints * CharsPerEndpoint));
        using var text = new StringWriter(new StringBuilder(capacity), CultureInfo.InvariantCulture);
        Write(snapshot, size, new RestoreWriter(text), options ?? IptablesRenderOptions.Default);
        return text.ToString();
    }

    /// <summary>
    /// Renders <paramref name="snapshot"/> into <paramref name="writer"/> line by line (for example
    /// the standard input of <c>iptables-restore</c>), holding no copy of the whole text. The
    /// snapshot is checked before the first character is written.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Render(ProxySnapshot, IptablesRenderOptions?)"/>.</exception>
    public static void Render(ProxySnapshot snapshot, TextWriter writer, IptablesRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var size = Check(snapshot);
        Write(snapshot, size, new RestoreWriter(writer), options ?? IptablesRenderOptions.Default);
    }

    private static void Write(ProxySnapshot snapshot, RenderSize size, RestoreWriter w, IptablesRenderOptions options)
    {
        WriteFilter(snapshot, w, options);

        // Chain names are needed once for the declarations at the top of the table and again in the
        // rules; the hashes of the first pass are kept (10 bytes a chain, pooled) instead of hashing twice.
        var hashes = ArrayPool<byte>.Shared.Rent(Math.Max(1, size.HashedChains * ChainHash.Bytes));
        try
        {
            WriteNat(snapshot, w, options, hashes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(hashes);
        }
    }

    private static void WriteHookJumps(RestoreWriter w, IptablesRenderOptions options, string table)
    {
        foreach (var jump in options.HookJumps)
        {
            if (jump.Table == table)
            {
                w.Text(jump.Line);
                w.EndLine();
            }
        }
    }

    /// <summary>Headless ports are not proxied; the snapshot keeps them for the engine's bookkeeping.</summary>
    private static bool IsHeadless(ServicePortSpec port) => port.ClusterIP.Equals(IPAddress.None);
}
