using System.Net;
using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

public static partial class IptablesRestoreRenderer
{
    // What iptables-save prints for a bare -j REJECT; written out so our lines equal the saved ones.
    // An ICMP port unreachable makes a TCP connect fail with ECONNREFUSED, as if nothing listened.
    private const string Reject = " -j REJECT --reject-with icmp-port-unreachable";

    /// <summary>
    /// The filter table: new connections to a service port without endpoints are rejected (for
    /// cluster IPs in KUBE-SERVICES, for external IPs and node ports in KUBE-EXTERNAL-SERVICES),
    /// instead of reaching whatever happens to listen on the address or timing out.
    /// </summary>
    private static void WriteFilter(ProxySnapshot snapshot, RestoreWriter w, IptablesRenderOptions options)
    {
        w.Text("*filter\n:" + KubeChains.Services + " - [0:0]\n:" + KubeChains.ExternalServices + " - [0:0]\n");
        WriteHookJumps(w, options, "filter");
        foreach (var port in snapshot.Ports)
        {
            if (IsHeadless(port) || !port.Endpoints.IsEmpty)
            {
                continue;
            }

            WriteReject(w, KubeChains.Services, port, port.ClusterIP);
            foreach (var external in port.ExternalIPs)
            {
                WriteReject(w, KubeChains.ExternalServices, port, external);
            }

            if (port.NodePort is { } nodePort)
            {
                w.Text("-A " + KubeChains.ExternalServices);
                w.Protocol(port.Protocol);
                w.Comment(port.Id, NoEndpointsSuffix);
                w.Text(" -m addrtype --dst-type LOCAL");
                w.DestinationPort(port.Protocol, nodePort);
                w.Text(Reject);
                w.EndLine();
            }
        }

        w.Text("COMMIT\n");
    }

    private static void WriteReject(RestoreWriter w, string chain, ServicePortSpec port, IPAddress destination)
    {
        w.Text("-A ");
        w.Text(chain);
        w.Host(" -d ", destination);
        w.Protocol(port.Protocol);
        w.Comment(port.Id, NoEndpointsSuffix);
        w.DestinationPort(port.Protocol, port.Port);
        w.Text(Reject);
        w.EndLine();
    }
}
