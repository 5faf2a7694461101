using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>
/// Nodes: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
/// CONTAINER-RUNTIME. STATUS is <c>Ready</c>, <c>NotReady</c> or <c>Unknown</c> (no Ready
/// condition), plus <c>,SchedulingDisabled</c> when cordoned.
/// </summary>
internal sealed class NodeTable : KindTable<Node>
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";
    private const string ReadyCondition = "Ready";

    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Status", "The status of the node"),
        Column.Text("Roles", "The roles of the node"),
        Column.Age,
        Column.Text("Version", "Kubelet Version reported by the node."),
        Column.Wide("Internal-IP", "List of addresses reachable to the node."),
        Column.Wide("External-IP", "List of addresses reachable to the node."),
        Column.Wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        Column.Wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        Column.Wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    /// <inheritdoc />
    public override string Resource => "nodes";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Node obj, DateTimeOffset now)
    {
        var info = obj.Status?.NodeInfo;
        return
        [
            obj.Metadata.Name ?? "",
            Status(obj),
            Cell.OrNone(string.Join(',', Roles(obj.Metadata.Labels))),
            Cell.Age(obj.Metadata.CreationTimestamp, now),
            info?.KubeletVersion ?? "",
            Address(obj, NodeAddressTypes.InternalIP),
            Address(obj, NodeAddressTypes.ExternalIP),
            OrUnknown(info?.OsImage),
            OrUnknown(info?.KernelVersion),
            OrUnknown(info?.ContainerRuntimeVersion),
        ];
    }

    private static string Status(Node node)
    {
        // The last Ready condition wins, as printNode's map of conditions by type does.
        var ready = node.Status?.Conditions?.FindLast(c => c.Type == ReadyCondition);
        var status = ready is null ? "Unknown" : ready.Status == ConditionStatuses.True ? ReadyCondition : "Not" + ReadyCondition;
        return node.Spec?.Unschedulable == true ? status + ",SchedulingDisabled" : status;
    }

    // findNodeRoles: node-role.kubernetes.io/<role> keys and the kubernetes.io/role value, sorted, distinct.
    private static SortedSet<string> Roles(Dictionary<string, string>? labels)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? [])
        {
            if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && key.Length > RoleLabelPrefix.Length)
            {
                roles.Add(key[RoleLabelPrefix.Length..]);
            }
            else if (key == RoleLabel && value.Length > 0)
            {
                roles.Add(value);
            }
        }

        return roles;
    }

    private static string Address(Node node, string type) =>
        node.Status?.Addresses?.Find(a => a.Type == type)?.Address is { Length: > 0 } address ? address : Cell.None;

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? Cell.Unknown : value;
}
