using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>
/// Endpoints: NAME ENDPOINTS AGE. ENDPOINTS is formatEndpoints: the first three ready
/// <c>ip:port</c> pairs (bare IPs for a subset without ports), then <c>+ N more...</c>.
/// </summary>
internal sealed class EndpointsTable : KindTable<Endpoints>
{
    private const int MaxShown = 3;

    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Text("Endpoints", "The set of all endpoints is the union of all subsets."),
        Column.Age,
    ];

    /// <inheritdoc />
    public override string Resource => "endpoints";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Endpoints obj, DateTimeOffset now) =>
        [obj.Metadata.Name ?? "", Format(obj.Subsets), Cell.Age(obj.Metadata.CreationTimestamp, now)];

    /// <summary>The ENDPOINTS cell. Subsets without addresses give an empty cell, not <c>&lt;none&gt;</c>.</summary>
    public static string Format(IReadOnlyList<EndpointSubset>? subsets)
    {
        if (subsets is null || subsets.Count == 0)
        {
            return Cell.None;
        }

        var shown = new List<string>(MaxShown);
        var count = 0;
        foreach (var subset in subsets)
        {
            var addresses = subset.Addresses ?? [];
            if (subset.Ports is not { Count: > 0 } ports)
            {
                // A headless service may have no ports: the addresses alone.
                foreach (var address in addresses)
                {
                    Add(address.Ip);
                }

                continue;
            }

            foreach (var port in ports)
            {
                foreach (var address in addresses)
                {
                    Add(Cell.HostPort(address.Ip, port.Port));
                }
            }
        }

        var text = string.Join(',', shown);
        return count > MaxShown ? FormattableString.Invariant($"{text} + {count - MaxShown} more...") : text;

        void Add(string endpoint)
        {
            if (shown.Count < MaxShown)
            {
                shown.Add(endpoint);
            }

            count++;
        }
    }
}
