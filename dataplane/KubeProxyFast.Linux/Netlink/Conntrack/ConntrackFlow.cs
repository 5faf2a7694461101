namespace KubeProxyFast.Linux.Netlink.Conntrack;

/// <summary>
/// A conntrack entry as a dump reports it: the tuple the first packet had (<see cref="Original"/>),
/// the tuple replies are expected with — after NAT, its source is the DNAT target — and the
/// kernel's id for the entry (0 when the dump gave none).
/// </summary>
public readonly record struct ConntrackFlow(ConntrackTuple Original, ConntrackTuple Reply, uint Id);
