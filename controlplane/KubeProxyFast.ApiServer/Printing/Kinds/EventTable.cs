using KubeProxyFast.Api.Core;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>
/// Events: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME
/// (wide columns interleave: SUBOBJECT and SOURCE come before MESSAGE). OBJECT is
/// <c>kind/name</c> with the kind lower-cased.
/// </summary>
internal sealed class EventTable : KindTable<Event>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        Column.Text("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        Column.Text("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        Column.Text("Object", "The object that this event is about."),
        Column.Wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement."),
        Column.Wide("Source", "The component reporting this event. Should be a short machine understandable string."),
        Column.Text("Message", "A human-readable description of the status of this operation."),
        Column.Wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        Column.Wide("Count", "The number of times this event has occurred."),
        Column.Name with { Priority = 1 },
    ];

    /// <inheritdoc />
    public override string Resource => "events";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(Event obj, DateTimeOffset now)
    {
        // events.k8s.io-style events carry only eventTime; singleton ones have no count.
        var first = Cell.Age(obj.FirstTimestamp ?? obj.EventTime, now);
        var last = obj.LastTimestamp is { } lastTimestamp ? Cell.Age(lastTimestamp, now) : first;
        var count = obj.Count is > 0 ? obj.Count.Value : 1;
        var involved = obj.InvolvedObject;
        var kind = (involved.Kind ?? "").ToLowerInvariant();
        var target = string.IsNullOrEmpty(involved.Name) ? kind : kind + "/" + involved.Name;
        return
        [
            last,
            obj.Type ?? "",
            obj.Reason ?? "",
            target,
            involved.FieldPath ?? "",
            Source(obj.Source),
            (obj.Message ?? "").Trim(),
            first,
            Cell.Integer(count),
            obj.Metadata.Name ?? "",
        ];
    }

    // formatEventSource: "component, host", or the component alone.
    private static string Source(EventSource? source) =>
        string.IsNullOrEmpty(source?.Host) ? source?.Component ?? "" : (source.Component ?? "") + ", " + source.Host;
}
