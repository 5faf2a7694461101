using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using static KubeProxyFast.Linux.Netlink.NetlinkConstants;
using static KubeProxyFast.Linux.Netlink.Route.RouteNetlinkConstants;

namespace KubeProxyFast.Linux.Netlink.Route;

/// <summary>Links: create (veth pair, bridge), change (up/down, master, MTU, namespace), delete, read.</summary>
public sealed partial class RouteNetlinkConnection
{
    /// <summary>
    /// Creates the veth pair <paramref name="name"/> ↔ <paramref name="peerName"/>
    /// (<c>ip link add NAME type veth peer name PEER [netns NS]</c>); the peer is created directly
    /// in <paramref name="peerNamespace"/> (an open network namespace) when given. Both ends are down.
    /// </summary>
    public void CreateVethPair(string name, string peerName, SafeHandle? peerNamespace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(peerName);
        if (peerNamespace is null)
        {
            WriteVethPair(name, peerName, null);
        }
        else
        {
            WithDescriptor(peerNamespace, fd => WriteVethPair(name, peerName, fd));
        }
    }

    /// <summary>Creates the bridge <paramref name="name"/> (<c>ip link add NAME type bridge</c>), down.</summary>
    public void CreateBridge(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Begin(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, IFINFOMSG_LEN, out var start);
        _request.PutString(IFLA_IFNAME, name);
        var info = _request.BeginNested(IFLA_LINKINFO);
        _request.PutString(IFLA_INFO_KIND, "bridge");
        _request.EndNested(info);
        Execute(start, "RTM_NEWLINK", name);
    }

    /// <summary>Sets <paramref name="name"/> administratively up (<c>ip link set NAME up</c>).</summary>
    public void SetUp(string name) => SetFlags(name, IFF_UP, "up");

    /// <summary>Sets <paramref name="name"/> administratively down (<c>ip link set NAME down</c>).</summary>
    public void SetDown(string name) => SetFlags(name, 0, "down");

    /// <summary>
    /// Enslaves <paramref name="name"/> to the bridge <paramref name="master"/>
    /// (<c>ip link set NAME master MASTER</c>), or frees it when <paramref name="master"/> is null.
    /// </summary>
    public void SetMaster(string name, string? master)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var target = master is null ? name + " nomaster" : name + " master " + master;
        var masterIndex = master is null ? 0 : IndexOf(master, "RTM_NEWLINK", target);
        var start = BeginChange(name);
        _request.PutHostU32(IFLA_MASTER, (uint)masterIndex);
        Execute(start, "RTM_NEWLINK", target);
    }

    /// <summary>Sets the MTU of <paramref name="name"/> (<c>ip link set NAME mtu MTU</c>).</summary>
    public void SetMtu(string name, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        var start = BeginChange(name);
        _request.PutHostU32(IFLA_MTU, (uint)mtu);
        Execute(start, "RTM_NEWLINK", $"{name} mtu {mtu}");
    }

    /// <summary>
    /// Moves <paramref name="name"/> into <paramref name="targetNamespace"/> (an open network
    /// namespace; <c>ip link set NAME netns NS</c>). The kernel sets it down on the way.
    /// </summary>
    public void MoveToNamespace(string name, SafeHandle targetNamespace)
    {
        ArgumentNullException.ThrowIfNull(targetNamespace);
        WithDescriptor(targetNamespace, fd =>
        {
            var start = BeginChange(name);
            _request.PutHostU32(IFLA_NET_NS_FD, fd);
            Execute(start, "RTM_NEWLINK", name + " netns");
        });
    }

    /// <summary>Deletes <paramref name="name"/> (<c>ip link del NAME</c>); deleting one end of a veth pair deletes both.</summary>
    public void DeleteLink(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Begin(RTM_DELLINK, NLM_F_ACK, IFINFOMSG_LEN, out var start);
        _request.PutString(IFLA_IFNAME, name);
        Execute(start, "RTM_DELLINK", name);
    }

    /// <summary>The link named <paramref name="name"/>, or null when there is none.</summary>
    public LinkInfo? GetLink(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Begin(RTM_GETLINK, NLM_F_ACK, IFINFOMSG_LEN, out var start);
        _request.PutString(IFLA_IFNAME, name);
        return GetLink(start, name);
    }

    /// <summary>The link with index <paramref name="index"/>, or null when there is none.</summary>
    public LinkInfo? GetLink(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        var header = Begin(RTM_GETLINK, NLM_F_ACK, IFINFOMSG_LEN, out var start);
        WriteHost(header, 4, index);
        return GetLink(start, "index " + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every link of the namespace (<c>ip link show</c>).</summary>
    public IReadOnlyList<LinkInfo> ListLinks()
    {
        var links = new List<LinkInfo>();
        Begin(RTM_GETLINK, NLM_F_DUMP, IFINFOMSG_LEN, out var start);
        Dump(start, "RTM_GETLINK", (in NetlinkMessage message) =>
        {
            if (message.Type == RTM_NEWLINK)
            {
                links.Add(ReadLink(message.Payload));
            }
        });
        return links;
    }

    private LinkInfo? GetLink(int start, string target)
    {
        LinkInfo? link = null;
        try
        {
            Execute(start, "RTM_GETLINK", target, (in NetlinkMessage message) =>
            {
                if (message.Type == RTM_NEWLINK)
                {
                    link = ReadLink(message.Payload);
                }
            });
        }
        catch (NetlinkException e) when (e.Errno == Interop.Errno.ENODEV)
        {
            return null;
        }

        return link;
    }

    /// <summary>The index of <paramref name="name"/>; when there is none, throws ENODEV naming <paramref name="operation"/> and <paramref name="target"/>.</summary>
    private int IndexOf(string name, string operation, string target) =>
        GetLink(name)?.Index ?? throw NetlinkException.Refused(operation, target, Interop.Errno.ENODEV, $"no link named {name}");

    /// <summary>Starts an RTM_NEWLINK that changes the existing link <paramref name="name"/> (no NLM_F_CREATE: ENODEV when absent).</summary>
    private int BeginChange(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Begin(RTM_NEWLINK, NLM_F_ACK, IFINFOMSG_LEN, out var start);
        _request.PutString(IFLA_IFNAME, name);
        return start;
    }

    private void SetFlags(string name, uint flags, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var header = Begin(RTM_NEWLINK, NLM_F_ACK, IFINFOMSG_LEN, out var start);
        WriteHost(header, 8, flags);
        WriteHost(header, 12, IFF_UP);
        _request.PutString(IFLA_IFNAME, name);
        Execute(start, "RTM_NEWLINK", name + " " + what);
    }

    private void WriteVethPair(string name, string peerName, uint? peerNamespaceFd)
    {
        Begin(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, IFINFOMSG_LEN, out var start);
        _request.PutString(IFLA_IFNAME, name);
        var info = _request.BeginNested(IFLA_LINKINFO);
        _request.PutString(IFLA_INFO_KIND, "veth");
        var data = _request.BeginNested(IFLA_INFO_DATA);

        // VETH_INFO_PEER holds a whole ifinfomsg, then the peer's own IFLA_* attributes (veth.h).
        var peer = _request.BeginNested(VETH_INFO_PEER);
        _request.AppendZeroed(IFINFOMSG_LEN);
        _request.PutString(IFLA_IFNAME, peerName);
        if (peerNamespaceFd is { } fd)
        {
            _request.PutHostU32(IFLA_NET_NS_FD, fd);
        }

        _request.EndNested(peer);
        _request.EndNested(data);
        _request.EndNested(info);
        Execute(start, "RTM_NEWLINK", $"{name} type veth peer {peerName}");
    }

    private static LinkInfo ReadLink(ReadOnlySpan<byte> payload)
    {
        CheckLength(payload, IFINFOMSG_LEN, "RTM_NEWLINK");
        var index = ReadHostInt32(payload, 4);
        var flags = (uint)ReadHostInt32(payload, 8);
        string name = "";
        int mtu = 0, master = 0;
        string? kind = null;
        PhysicalAddress? hardware = null;
        foreach (var attribute in new NetlinkAttributes(payload[IFINFOMSG_LEN..]))
        {
            switch (attribute.Type)
            {
                case IFLA_IFNAME:
                    name = attribute.AsString();
                    break;
                case IFLA_MTU:
                    mtu = (int)attribute.AsHostU32();
                    break;
                case IFLA_MASTER:
                    master = (int)attribute.AsHostU32();
                    break;
                case IFLA_ADDRESS:
                    hardware = attribute.Value.Length == 0 ? null : new PhysicalAddress(attribute.Value.ToArray());
                    break;
                case IFLA_LINKINFO:
                    kind = attribute.Nested.FindString(IFLA_INFO_KIND);
                    break;
            }
        }

        return new LinkInfo(index, name, mtu, (flags & IFF_UP) != 0, master, kind, hardware);
    }
}
