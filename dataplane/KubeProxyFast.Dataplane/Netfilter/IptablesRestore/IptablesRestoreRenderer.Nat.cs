using KubeProxyFast.Dataplane.Snapshot;

namespace KubeProxyFast.Dataplane.Netfilter.IptablesRestore;

public static partial class IptablesRestoreRenderer
{
    /// <summary>
    /// The nat table. Every chain is declared at the top (iptables-restore refuses a jump to a chain
    /// it has not seen yet), then the fixed rules, then per service port its KUBE-SERVICES and
    /// KUBE-NODEPORTS entries and its KUBE-EXT, KUBE-SVC and KUBE-SEP chains; last, the deletion of
    /// chains no longer rendered (<see cref="IptablesRenderOptions.ExistingChains"/>).
    /// </summary>
    private static void WriteNat(ProxySnapshot snapshot, RestoreWriter w, IptablesRenderOptions options, byte[] hashes)
    {
        w.Text("*nat\n:" + KubeChains.Services + " - [0:0]\n:" + KubeChains.NodePorts + " - [0:0]\n:"
            + KubeChains.PostRouting + " - [0:0]\n:" + KubeChains.MarkMasq + " - [0:0]\n");
        var stale = options.ExistingChains.IsEmpty ? null : new StaleChains(options, hashes.Length / ChainHash.Bytes * 2);
        var next = 0;
        foreach (var port in snapshot.Ports)
        {
            if (!IsProxied(port))
            {
                continue;
            }

            var svc = hashes.AsSpan(next, ChainHash.Bytes);
            ChainHash.Compute(port.Id, port.Protocol, null, svc);
            next += ChainHash.Bytes;
            w.Declare(KubeChains.ServicePortPrefix, svc);
            stale?.AddLive(KubeChains.ServicePortPrefix, svc);
            if (HasExternal(port))
            {
                w.Declare(KubeChains.ExternalPrefix, svc);
                stale?.AddLive(KubeChains.ExternalPrefix, svc);
            }

            foreach (var endpoint in port.Endpoints)
            {
                var sep = hashes.AsSpan(next, ChainHash.Bytes);
                ChainHash.Compute(port.Id, port.Protocol, endpoint, sep);
                next += ChainHash.Bytes;
                w.Declare(KubeChains.EndpointPrefix, sep);
                stale?.AddLive(KubeChains.EndpointPrefix, sep);
            }
        }

        stale?.WriteDeclarations(w);

        WriteHookJumps(w, options, "nat");

        // Masquerade only what a KUBE-MARK-MASQ marked, and clear the mark first so a packet that
        // is encapsulated or looped back is not masqueraded twice (kube-proxy's KUBE-POSTROUTING).
        w.Text("-A " + KubeChains.PostRouting + " -m mark ! --mark " + KubeChains.MasqueradeMark + "/" + KubeChains.MasqueradeMark + " -j RETURN\n"
            + "-A " + KubeChains.PostRouting + " -j MARK --xor-mark " + KubeChains.MasqueradeMark + "\n"
            + "-A " + KubeChains.PostRouting + " -j MASQUERADE\n"
            + "-A " + KubeChains.MarkMasq + " -j MARK --or-mark " + KubeChains.MasqueradeMark + "\n");

        next = 0;
        foreach (var port in snapshot.Ports)
        {
            if (!IsProxied(port))
            {
                continue;
            }

            var svc = hashes.AsSpan(next, ChainHash.Bytes);
            var seps = hashes.AsSpan(next + ChainHash.Bytes, port.Endpoints.Length * ChainHash.Bytes);
            next += (1 + port.Endpoints.Length) * ChainHash.Bytes;
            WriteEntries(w, port, svc);
            WriteServicePort(w, port, svc, seps);
            WriteEndpoints(w, port, seps);
        }

        w.Text("-A " + KubeChains.Services + " -m comment --comment \"" + KubeChains.NodePortsComment + "\" -m addrtype --dst-type LOCAL -j " + KubeChains.NodePorts + "\n");
        stale?.WriteDeletions(w);
        w.Text("COMMIT\n");
    }

    /// <summary>KUBE-SERVICES for the cluster IP and each external IP, KUBE-NODEPORTS for the node port, and the KUBE-EXT chain they share.</summary>
    private static void WriteEntries(RestoreWriter w, ServicePortSpec port, ReadOnlySpan<byte> svc)
    {
        w.Text("-A " + KubeChains.Services);
        w.Host(" -d ", port.ClusterIP);
        w.Protocol(port.Protocol);
        w.Comment(port.Id, " cluster IP");
        w.DestinationPort(port.Protocol, port.Port);
        w.Text(" -j ");
        w.Chain(KubeChains.ServicePortPrefix, svc);
        w.EndLine();
        if (!HasExternal(port))
        {
            return;
        }

        foreach (var external in port.ExternalIPs)
        {
            w.Text("-A " + KubeChains.Services);
            w.Host(" -d ", external);
            w.Protocol(port.Protocol);
            w.Comment(port.Id, " external IP");
            w.DestinationPort(port.Protocol, port.Port);
            w.Text(" -j ");
            w.Chain(KubeChains.ExternalPrefix, svc);
            w.EndLine();
        }

        if (port.NodePort is { } nodePort)
        {
            w.Text("-A " + KubeChains.NodePorts);
            w.Protocol(port.Protocol);
            w.Comment(port.Id, "");
            w.DestinationPort(port.Protocol, nodePort);
            w.Text(" -j ");
            w.Chain(KubeChains.ExternalPrefix, svc);
            w.EndLine();
        }

        // Traffic from outside is masqueraded so that replies come back through this node, whose
        // conntrack entry undoes the DNAT; a pod on another node would answer the client directly.
        w.Append(KubeChains.ExternalPrefix, svc);
        w.Text(" -j " + KubeChains.MarkMasq + "\n");
        w.Append(KubeChains.ExternalPrefix, svc);
        w.Text(" -j ");
        w.Chain(KubeChains.ServicePortPrefix, svc);
        w.EndLine();
    }

    /// <summary>
    /// KUBE-SVC: with ClientIP affinity, first a client seen within the timeout returns to its
    /// endpoint; then endpoint i of n is taken with probability 1/(n-i) of what is left, which
    /// makes every endpoint equally likely; the last rule takes the rest.
    /// </summary>
    private static void WriteServicePort(RestoreWriter w, ServicePortSpec port, ReadOnlySpan<byte> svc, ReadOnlySpan<byte> seps)
    {
        var n = port.Endpoints.Length;
        if (port.Affinity.ClientIP)
        {
            var seconds = (int)Math.Min(int.MaxValue, Math.Ceiling(port.Affinity.Timeout.TotalSeconds));
            for (var i = 0; i < n; i++)
            {
                var sep = seps.Slice(i * ChainHash.Bytes, ChainHash.Bytes);
                w.Append(KubeChains.ServicePortPrefix, svc);
                w.Text(" -m recent --name ");
                w.Chain(KubeChains.EndpointPrefix, sep);
                w.Text(" --rcheck --seconds ");
                w.Number(seconds);
                w.Text(" --reap -j ");
                w.Chain(KubeChains.EndpointPrefix, sep);
                w.EndLine();
            }
        }

        for (var i = 0; i < n; i++)
        {
            w.Append(KubeChains.ServicePortPrefix, svc);
            if (i < n - 1)
            {
                w.Probability(n - i);
            }

            w.Text(" -j ");
            w.Chain(KubeChains.EndpointPrefix, seps.Slice(i * ChainHash.Bytes, ChainHash.Bytes));
            w.EndLine();
        }
    }

    /// <summary>
    /// KUBE-SEP: an endpoint reaching itself through the service (hairpin) is masqueraded, or its
    /// reply would go straight to itself with the wrong source; then the DNAT, which with ClientIP
    /// affinity also records the client in the endpoint's xt_recent list.
    /// </summary>
    private static void WriteEndpoints(RestoreWriter w, ServicePortSpec port, ReadOnlySpan<byte> seps)
    {
        for (var i = 0; i < port.Endpoints.Length; i++)
        {
            var endpoint = port.Endpoints[i];
            var sep = seps.Slice(i * ChainHash.Bytes, ChainHash.Bytes);
            w.Append(KubeChains.EndpointPrefix, sep);
            w.Host(" -s ", endpoint.Address);
            w.Text(" -j " + KubeChains.MarkMasq + "\n");
            w.Append(KubeChains.EndpointPrefix, sep);
            w.Protocol(port.Protocol);
            w.Text(port.Protocol == L4Protocol.Udp ? " -m udp" : " -m tcp");
            if (port.Affinity.ClientIP)
            {
                w.Text(" -m recent --name ");
                w.Chain(KubeChains.EndpointPrefix, sep);
                w.Text(" --set");
            }

            w.Text(" -j DNAT --to-destination ");
            w.Address(endpoint.Address);
            w.Text(":");
            w.Number(endpoint.Port);
            w.EndLine();
        }
    }

    private static bool IsProxied(ServicePortSpec port) => !IsHeadless(port) && !port.Endpoints.IsEmpty;

    private static bool HasExternal(ServicePortSpec port) => port.NodePort is not null || !port.ExternalIPs.IsEmpty;
}
