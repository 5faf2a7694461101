using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>
/// Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. PORT(S) is
/// <c>port/PROTO</c> or <c>port:nodePort/PROTO</c>, comma-separated.
/// </summary>
internal sealed class ServiceTable : KindTable<Service>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Type", "type determines how the Service is exposed. Defaults to ClusterIP."),
        Column.Text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
        Column.Text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        Column.Text("Port(s)", "The list of ports that are exposed by this service."),
        Column.Age,
        Column.Wide("Selector", "Route service traffic to pods with label keys and values matching this selector."),
    ];

    /// <inheritdoc />
    public override string Resource => "services";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Service obj, DateTimeOffset now)
    {
        // Kubernetes defaults an absent type to ClusterIP before storing; print what it would.
        var type = string.IsNullOrEmpty(obj.Spec?.Type) ? ServiceTypes.ClusterIP : obj.Spec.Type;
        var clusterIP = obj.Spec?.ClusterIPs is [var first, ..] ? first : obj.Spec?.ClusterIP;
        var ports = string.Join(',', (obj.Spec?.Ports ?? []).Select(PortText));
        return
        [
            obj.Metadata.Name ?? "",
            type,
            Cell.OrNone(clusterIP),
            ExternalIP(obj, type),
            Cell.OrNone(ports),
            Cell.Age(obj.Metadata.CreationTimestamp, now),
            Cell.Labels(obj.Spec?.Selector),
        ];
    }

    private static string PortText(ServicePort port)
    {
        var protocol = port.Protocol ?? Protocols.Tcp;
        return port.NodePort is > 0
            ? FormattableString.Invariant($"{port.Port}:{port.NodePort}/{protocol}")
            : FormattableString.Invariant($"{port.Port}/{protocol}");
    }

    // getServiceExternalIP with wide=true: the server never truncates load-balancer addresses.
    private static string ExternalIP(Service svc, string type)
    {
        var externalIPs = svc.Spec?.ExternalIPs ?? [];
        switch (type)
        {
            case ServiceTypes.ClusterIP or ServiceTypes.NodePort:
                return externalIPs.Count > 0 ? string.Join(',', externalIPs) : Cell.None;
            case ServiceTypes.LoadBalancer:
                var ingress = (svc.Status?.LoadBalancer?.Ingress ?? [])
                    .Select(i => !string.IsNullOrEmpty(i.Ip) ? i.Ip : i.Hostname)
                    .Where(a => !string.IsNullOrEmpty(a));
                var all = ingress.Concat(externalIPs).ToList();
                return all.Count > 0 ? string.Join(',', all) : "<pending>";
            case ServiceTypes.ExternalName:
                return svc.Spec?.ExternalName ?? "";
            default:
                return Cell.Unknown;
        }
    }
}
