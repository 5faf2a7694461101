using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace KubeProxyFast.Kubelet.Network;

/// <summary>
/// The CNI network list containerd's CRI plugin runs for every pod sandbox of this node: the
/// <c>bridge</c> plugin (bridge <see cref="BridgeName"/>, the gateway's address on it, hairpin
/// for a pod reaching itself through a Service) with <c>host-local</c> addresses from the node's
/// podCIDR and a default route, then <c>portmap</c> for hostPort mappings. The bridge does not
/// masquerade (<c>ipMasq: false</c>): <c>PodMasquerade</c> does, for traffic leaving the
/// cluster range only. No <c>loopback</c> entry: containerd 1.6's CRI plugin brings up each
/// sandbox's <c>lo</c> itself with the <c>loopback</c> binary of its bin dir
/// (go-cni's <c>WithLoNetwork</c>).
/// </summary>
/// <param name="PodCidr">The node's <c>spec.podCIDR</c> (IPv4): host-local hands out its addresses.</param>
/// <param name="IpamDataDirectory">Where host-local records the addresses it handed out; null for its default (<c>/var/lib/cni/networks</c>).</param>
public sealed record CniConfig(IPNetwork PodCidr, string? IpamDataDirectory = null)
{
    /// <summary>The network's name, which containerd records with each sandbox's result.</summary>
    public const string NetworkName = "kpf";

    /// <summary>The bridge the pods' veths are enslaved to.</summary>
    public const string BridgeName = "kpf0";

    /// <summary>The file in the CNI conf dir: containerd takes the first network list by name, <c>10-</c> sorts early.</summary>
    public const string FileName = "10-kpf.conflist";

    /// <summary>
    /// The CNI spec version: 1.0.0 is the newest both Debian's plugins 1.1.1 and containerd 1.6's
    /// libcni speak (<c>CNI_COMMAND=VERSION</c> answers 0.1.0 … 1.0.0).
    /// </summary>
    public const string CniVersion = "1.0.0";

    /// <summary>The config for <paramref name="podCidr"/> (e.g. <c>10.42.1.0/24</c>); throws <see cref="FormatException"/> naming it when it is no IPv4 CIDR.</summary>
    public static CniConfig For(string podCidr, string? ipamDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(podCidr);
        if (!IPNetwork.TryParse(podCidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new FormatException($"podCIDR {podCidr}: not an IPv4 CIDR");
        }

        return new CniConfig(network, ipamDataDirectory);
    }

    /// <summary>The network list as JSON (indented, stable: the same config renders the same bytes).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", CniVersion);
            w.WriteString("name", NetworkName);
            w.WriteStartArray("plugins");

            w.WriteStartObject();
            w.WriteString("type", "bridge");
            w.WriteString("bridge", BridgeName);
            w.WriteBoolean("isGateway", true);
            w.WriteBoolean("ipMasq", false);
            w.WriteBoolean("hairpinMode", true);
            w.WriteStartObject("ipam");
            w.WriteString("type", "host-local");
            if (IpamDataDirectory is not null)
            {
                w.WriteString("dataDir", IpamDataDirectory);
            }

            w.WriteStartArray("ranges");
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("subnet", PodCidr.ToString());
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("routes");
            w.WriteStartObject();
            w.WriteString("dst", "0.0.0.0/0");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject();
            w.WriteString("type", "portmap");
            w.WriteStartObject("capabilities");
            // containerd passes the sandbox's port mappings (hostPort) as runtimeConfig.portMappings
            // only to plugins that declare this capability.
            w.WriteBoolean("portMappings", true);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Writes the network list as <see cref="FileName"/> into <paramref name="confDirectory"/>
    /// (made if missing) unless the file there already holds these bytes; returns true when it
    /// wrote. The write is atomic (a temporary file in the same directory, flushed, then renamed
    /// over): containerd watches the directory and must never load half a file.
    /// </summary>
    public bool WriteTo(string confDirectory)
    {
        ArgumentNullException.ThrowIfNull(confDirectory);
        Directory.CreateDirectory(confDirectory);
        var path = Path.Combine(confDirectory, FileName);
        var bytes = Encoding.UTF8.GetBytes(ToJson());
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        // A dot name without the .conflist suffix: containerd's loader skips it while it is being written.
        var temporary = Path.Combine(confDirectory, $".{FileName}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return true;
    }

    /// <summary>The gateway address the bridge gets: the first address of the podCIDR, as host-local picks it.</summary>
    public IPAddress Gateway
    {
        get
        {
            var bytes = PodCidr.BaseAddress.GetAddressBytes();
            bytes[3]++;
            return new IPAddress(bytes);
        }
    }
}
