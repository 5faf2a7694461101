using System.Text.Json.Serialization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Event: a report of something that happened to an object.</summary>
public sealed class Event : KubeObject
{
    /// <summary>The object the event is about.</summary>
    public ObjectReference InvolvedObject { get; set; } = new();

    /// <summary>Short machine-readable reason, e.g. <c>Scheduled</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable description.</summary>
    public string? Message { get; set; }

    /// <summary>The component that reported it.</summary>
    public EventSource? Source { get; set; }

    /// <summary>First time the event was seen.</summary>
    public DateTimeOffset? FirstTimestamp { get; set; }

    /// <summary>Most recent time the event was seen.</summary>
    public DateTimeOffset? LastTimestamp { get; set; }

    /// <summary>How many times it was seen.</summary>
    public int? Count { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }

    /// <summary>When the event was first observed, with microseconds (metav1.MicroTime).</summary>
    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? EventTime { get; set; }

    /// <summary>The series this event stands for when it recurred (events.k8s.io's aggregation), or null for a single occurrence.</summary>
    public EventSeries? Series { get; set; }

    /// <summary>What action was taken or failed.</summary>
    public string? Action { get; set; }

    /// <summary>A second object the event is about, for more complex actions.</summary>
    public ObjectReference? Related { get; set; }

    /// <summary>Controller that emitted the event, e.g. <c>kubelet</c>.</summary>
    public string? ReportingComponent { get; set; }

    /// <summary>Instance of that controller, e.g. the node name.</summary>
    public string? ReportingInstance { get; set; }
}

/// <summary>v1 EventList.</summary>
public sealed class EventList : KubeList<Event>;

/// <summary>v1 EventSeries: how often, and until when, an event recurred.</summary>
public sealed class EventSeries : Extensible
{
    /// <summary>How many times it was observed in the series.</summary>
    public int? Count { get; set; }

    /// <summary>When it was last observed, with microseconds (metav1.MicroTime).</summary>
    [JsonConverter(typeof(MicroTimeJsonConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }
}

/// <summary>v1 EventSource.</summary>
public sealed class EventSource : Extensible
{
    /// <summary>Component that reported the event.</summary>
    public string? Component { get; set; }

    /// <summary>Node of that component.</summary>
    public string? Host { get; set; }
}
