using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Printing.Kinds;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>
/// Turns objects of one resource into the Table kubectl prints. Every column is always sent
/// (Kubernetes' server prints wide); kubectl hides priority-1 columns unless <c>-o wide</c>.
/// </summary>
internal sealed class TablePrinter(TimeProvider time)
{
    private static readonly Dictionary<string, IKindTable> s_tables = new IKindTable[]
    {
        new PodTable(), new ServiceTable(), new EndpointsTable(), new ReplicationControllerTable(),
        new NodeTable(), new NamespaceTable(), new EventTable(), new LeaseTable(), new CertificateSigningRequestTable(),
        new ConfigMapTable(), new SecretTable(),
        new RoleTable(), new ClusterRoleTable(), new RoleBindingTable(), new ClusterRoleBindingTable(),
    }.ToDictionary(t => t.Resource, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="resource"/> (e.g. <c>pods</c>) has a table; others are served as plain JSON.</summary>
    public static bool CanPrint(string resource) => s_tables.ContainsKey(resource);

    /// <summary>Builds the Table of <paramref name="objects"/>, all of <paramref name="resource"/>.</summary>
    /// <param name="resource">The REST resource, e.g. <c>pods</c>; see <see cref="CanPrint"/>.</param>
    /// <param name="objects">The rows, in order (one for a GET, one per event on a watch).</param>
    /// <param name="options">Table version, includeObject, headers and list metadata.</param>
    /// <exception cref="ArgumentException">No table for the resource, or an object of another kind.</exception>
    public Table Print(string resource, IReadOnlyList<KubeObject> objects, TablePrintOptions options)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        if (!s_tables.TryGetValue(resource, out var table))
        {
            throw new ArgumentException($"no table for resource \"{resource}\"", nameof(resource));
        }

        var now = time.GetUtcNow();
        var rows = new TableRow[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            rows[i] = new TableRow { Cells = table.Cells(objects[i], now), Object = RowObject(objects[i], options) };
        }

        return new Table
        {
            ApiVersion = options.GroupVersion,
            Metadata = new ListMeta { ResourceVersion = options.ResourceVersion, Continue = options.Continue },
            ColumnDefinitions = options.NoHeaders ? [] : table.Columns,
            Rows = rows,
        };
    }

    private static RowObject? RowObject(KubeObject obj, TablePrintOptions options) => options.IncludeObject switch
    {
        IncludeObject.None => null,
        _ => new RowObject(obj, options.IncludeObject == IncludeObject.Object, options.GroupVersion),
    };
}

/// <summary>How to print a Table.</summary>
internal sealed record TablePrintOptions
{
    /// <summary>From <see cref="TableAccept.RequestedVersion"/>: <c>meta.k8s.io/v1</c> or <c>meta.k8s.io/v1beta1</c>.</summary>
    public string GroupVersion { get; init; } = TableAccept.GroupVersionV1;

    /// <summary>From the <c>includeObject</c> query parameter.</summary>
    public IncludeObject IncludeObject { get; init; } = IncludeObject.Metadata;

    /// <summary>True for every watch event after the first: kubectl reuses the columns it has.</summary>
    public bool NoHeaders { get; init; }

    /// <summary>The list's resource version (for a LIST; kubectl get -w watches from it).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>The list's continue token, when it was limited.</summary>
    public string? Continue { get; init; }
}
