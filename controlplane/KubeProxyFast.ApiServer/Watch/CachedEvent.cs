using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// A store change as watches see it, shared by every watch of the resource: the object is decoded
/// at most once, and only if a watch with selectors or a Table needs it. The decoded object is
/// read-only for everyone.
/// </summary>
internal sealed class CachedEvent
{
    private readonly ResourceDefinition _resource;
    private KubeObject? _decoded;
    private KubeObject? _previous;

    public CachedEvent(ResourceDefinition resource, StoreEvent change)
    {
        _resource = resource;
        Change = change;
    }

    public StoreEvent Change { get; }

    /// <summary>What the watch cache counts against its byte budget: the value and the previous value it holds.</summary>
    public long Bytes => Change.Value.Length + Change.Previous.Length + Change.Key.Length;

    /// <summary>The object with its resourceVersion set to the change's revision.</summary>
    public KubeObject Decoded => _decoded ??= ObjectCodec.Decode(_resource, Change.Value, Change.Revision);

    /// <summary>The object before an update (null for creates and deletes), for watches with selectors.</summary>
    public KubeObject? Previous => Change.Type != StoreEventType.Updated || Change.Previous.IsEmpty
        ? null
        : _previous ??= ObjectCodec.Decode(_resource, Change.Previous, Change.Revision);
}
