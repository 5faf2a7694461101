using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace KubeProxyFast.Api.Meta;

/// <summary>
/// One line of a watch stream: <c>{"type":"ADDED","object":{...}}</c>. The object stays raw JSON
/// because an <c>ERROR</c> event carries a <see cref="Status"/> instead of the watched kind;
/// decode it with <c>KubeJson</c> once the type is known.
/// </summary>
public sealed class WatchEvent : Extensible
{
    /// <summary>One of <see cref="WatchEventTypes"/>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The object as JSON.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The wire field is named 'object'.")]
    public JsonElement Object { get; set; }
}

/// <summary>The <c>type</c> values of a <see cref="WatchEvent"/>.</summary>
public static class WatchEventTypes
{
    /// <summary>The object was created (or listed at the start of the watch).</summary>
    public const string Added = "ADDED";
    /// <summary>The object was changed.</summary>
    public const string Modified = "MODIFIED";
    /// <summary>The object was deleted; the object is its last state.</summary>
    public const string Deleted = "DELETED";
    /// <summary>A progress notification carrying only a resourceVersion.</summary>
    public const string Bookmark = "BOOKMARK";
    /// <summary>The watch failed; the object is a <see cref="Status"/> (410 when too old).</summary>
    public const string Error = "ERROR";
}
