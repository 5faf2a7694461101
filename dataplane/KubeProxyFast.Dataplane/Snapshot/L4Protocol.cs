namespace KubeProxyFast.Dataplane.Snapshot;

/// <summary>The transport protocol of a service port.</summary>
public enum L4Protocol
{
    /// <summary>TCP: connections are accepted and relayed.</summary>
    Tcp,

    /// <summary>UDP: datagrams are forwarded per client session.</summary>
    Udp,
}
