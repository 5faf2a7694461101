using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Client.Events;

/// <summary>The keys client-go's correlator groups events by.</summary>
internal static class EventKeys
{
    /// <summary>The spam filter's: one bucket per source, involved object and event type.</summary>
    public static string Spam(Event e) => Join(Source(e), Object(e.InvolvedObject), e.Type);

    /// <summary>The aggregator's: events alike but for their message.</summary>
    public static string Aggregate(Event e) => Join(Source(e), Object(e.InvolvedObject), e.Type, e.Reason);

    /// <summary>The deduplicator's: identical events, message included.</summary>
    public static string Identical(Event e) => Join(Source(e), Object(e.InvolvedObject), e.Type, e.Reason, e.Message);

    private static string Source(Event e) => Join(e.Source?.Component, e.Source?.Host);

    private static string Object(ObjectReference o) => Join(o.Kind, o.Namespace, o.Name, o.Uid, o.ApiVersion);

    private static string Join(params string?[] parts) => string.Join('\0', parts);
}
