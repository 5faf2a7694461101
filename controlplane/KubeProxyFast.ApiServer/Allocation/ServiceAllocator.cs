using System.Globalization;
using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Allocation;

/// <summary>
/// Cluster IPs and node ports of services. Each allocated value is a store key
/// (<c>/registry/ranges/serviceips/&lt;ip&gt;</c>, <c>/registry/ranges/servicenodeports/&lt;port&gt;</c>)
/// written in the same transaction as the service, under create-if-absent: concurrent creates
/// can never share one, and a delete releases them atomically with the service.
/// </summary>
internal sealed partial class ServiceAllocator
{
    public const string IpKeyPrefix = "/registry/ranges/serviceips/";
    public const string NodePortKeyPrefix = "/registry/ranges/servicenodeports/";

    private readonly RangeBitmap _ips;
    private readonly RangeBitmap _ports;

    public ServiceAllocator(ServiceIpRange ipRange, NodePortRange portRange)
    {
        IpRange = ipRange;
        PortRange = portRange;
        _ips = new RangeBitmap(ipRange.Size);
        _ports = new RangeBitmap(portRange.Size);
        // The first address belongs to the kubernetes service, as in Kubernetes; never auto-allocated.
        _ips.Set(0);
    }

    public ServiceIpRange IpRange { get; }

    public NodePortRange PortRange { get; }

    /// <summary>Reads the allocation keys from the store (at start, and when a range looks full).</summary>
    public async Task LoadAsync(IStore store, CancellationToken cancellationToken)
    {
        foreach (var value in (await store.ListAsync(IpKeyPrefix, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            var offset = IpRange.Offset(value.Key[IpKeyPrefix.Length..]);
            if (offset >= 0)
            {
                _ips.Set(offset);
            }
        }

        foreach (var value in (await store.ListAsync(NodePortKeyPrefix, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            if (int.TryParse(value.Key.AsSpan(NodePortKeyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port >= PortRange.First && port <= PortRange.Last)
            {
                _ports.Set(port - PortRange.First);
            }
        }
    }

    /// <summary>Allocates what a new service needs, filling <c>spec.clusterIP</c> and node ports.</summary>
    /// <exception cref="StatusException">422 for a requested value out of range or known taken; 500 when a range is full.</exception>
    public ServiceAllocation PlanCreate(Service service, string serviceKey)
    {
        var plan = new ServiceAllocation();
        var spec = service.Spec!;
        try
        {
            AllocateClusterIp(service, spec, serviceKey, plan);
            AllocateNodePorts(service, spec, null, serviceKey, plan);
        }
        catch
        {
            Abort(plan, null);
            throw;
        }

        return plan;
    }

    /// <summary>What an update changes: new node ports allocated, dropped ones released.</summary>
    public ServiceAllocation PlanUpdate(Service service, Service old, string serviceKey)
    {
        var plan = new ServiceAllocation();
        try
        {
            AllocateNodePorts(service, service.Spec!, old.Spec, serviceKey, plan);
        }
        catch
        {
            Abort(plan, null);
            throw;
        }

        var kept = NodePorts(service.Spec);
        foreach (var port in NodePorts(old.Spec))
        {
            if (!kept.Contains(port))
            {
                ReleasePort(port, plan);
            }
        }

        return plan;
    }

    /// <summary>What a delete releases.</summary>
    public ServiceAllocation PlanDelete(Service old)
    {
        var plan = new ServiceAllocation();
        var ip = old.Spec?.ClusterIP;
        var offset = string.IsNullOrEmpty(ip) ? -1 : IpRange.Offset(ip);
        if (offset >= 0)
        {
            plan.Operations.Add(new StoreDelete(IpKeyPrefix + ip));
            if (offset > 0)
            {
                plan.ReleasedBits.Add((_ips, offset));
            }
        }

        foreach (var port in NodePorts(old.Spec))
        {
            ReleasePort(port, plan);
        }

        return plan;
    }

    /// <summary>The write committed: released values become free.</summary>
    public static void Commit(ServiceAllocation plan)
    {
        foreach (var (bitmap, offset) in plan.ReleasedBits)
        {
            bitmap.Clear(offset);
        }
    }

    /// <summary>
    /// The write failed: frees what was taken, except values the store showed to be held by
    /// someone else (<paramref name="current"/> is the failed transaction's view, conditions
    /// starting at <paramref name="firstCondition"/>), which stay marked so a retry skips them.
    /// </summary>
    public static void Abort(ServiceAllocation plan, IReadOnlyList<StoreValue?>? current, int firstCondition = 0)
    {
        for (var i = 0; i < plan.TakenBits.Count; i++)
        {
            var held = current is not null && firstCondition + i < current.Count && current[firstCondition + i] is not null;
            if (!held)
            {
                plan.TakenBits[i].Bitmap.Clear(plan.TakenBits[i].Offset);
            }
        }
    }

    private static byte[] Owner(string serviceKey) => Encoding.UTF8.GetBytes(serviceKey);

    private static HashSet<int> NodePorts(ServiceSpec? spec)
    {
        var ports = new HashSet<int>();
        foreach (var port in spec?.Ports ?? [])
        {
            if (port.NodePort is > 0)
            {
                ports.Add(port.NodePort.Value);
            }
        }

        return ports;
    }

    private void ReleasePort(int port, ServiceAllocation plan)
    {
        plan.Operations.Add(new StoreDelete(NodePortKeyPrefix + port.ToString(CultureInfo.InvariantCulture)));
        if (port >= PortRange.First && port <= PortRange.Last)
        {
            plan.ReleasedBits.Add((_ports, port - PortRange.First));
        }
    }
}
