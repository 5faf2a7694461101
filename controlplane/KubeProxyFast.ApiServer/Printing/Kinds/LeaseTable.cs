using KubeProxyFast.Api.Coordination;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>Leases: NAME HOLDER AGE; HOLDER is <c>spec.holderIdentity</c>, empty when nobody holds it.</summary>
internal sealed class LeaseTable : KindTable<Lease>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
        Column.Age,
    ];

    /// <inheritdoc />
    public override string Resource => "leases";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Lease obj, DateTimeOffset now) =>
        [obj.Metadata.Name ?? "", obj.Spec?.HolderIdentity ?? "", Cell.Age(obj.Metadata.CreationTimestamp, now)];
}
