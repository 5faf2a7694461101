using System.Diagnostics.CodeAnalysis;

namespace KubeProxyFast.Client;

/// <summary>
/// One typed event of a watch. <see cref="Type"/> is one of <see cref="Api.Meta.WatchEventTypes"/>
/// other than <c>ERROR</c> (errors are thrown as <see cref="KubeApiException"/>). For a
/// <c>BOOKMARK</c> only <c>metadata.resourceVersion</c> of <see cref="Object"/> is meaningful.
/// </summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c> or <c>BOOKMARK</c>.</param>
/// <param name="Object">The object after the change (its last state for <c>DELETED</c>).</param>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The wire field is named 'object'.")]
public readonly record struct KubeWatchEvent<T>(string Type, T Object);
