using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>ReplicationControllers: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR.</summary>
internal sealed class ReplicationControllerTable : KindTable<ReplicationController>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Integer("Desired", "Replicas is the number of desired replicas."),
        Column.Integer("Current", "Replicas is the most recently observed number of replicas."),
        Column.Integer("Ready", "The number of ready replicas for this replication controller."),
        Column.Age,
        Column.Wide("Containers", "Names of each container in the template."),
        Column.Wide("Images", "Images referenced by each container in the template."),
        Column.Wide("Selector", "Selector is a label query over pods that should match the Replicas count."),
    ];

    /// <inheritdoc />
    public override string Resource => "replicationcontrollers";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(ReplicationController obj, DateTimeOffset now)
    {
        var containers = obj.Spec?.Template?.Spec?.Containers ?? [];
        return
        [
            obj.Metadata.Name ?? "",
            // Kubernetes defaults spec.replicas to 1 before storing.
            Cell.Integer(obj.Spec?.Replicas ?? 1),
            Cell.Integer(obj.Status?.Replicas ?? 0),
            Cell.Integer(obj.Status?.ReadyReplicas ?? 0),
            Cell.Age(obj.Metadata.CreationTimestamp, now),
            string.Join(',', containers.Select(c => c.Name)),
            string.Join(',', containers.Select(c => c.Image)),
            Cell.Labels(obj.Spec?.Selector),
        ];
    }
}
