using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.Storage;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// A store change as watches see it, shared by every watch of the resource: the object is decoded
/// at most once while it is in use, and only if a watch with selectors or a Table needs it. The
/// decoded object is read-only for everyone. Likewise its protobuf message is transcoded once for
/// all protobuf watches, not once per watcher.
/// </summary>
internal sealed class CachedEvent
{
    /// <summary>
    /// Values up to this size keep their decoded object as long as the ring holds the event (a pod
    /// is 2–5 KB). A larger one is held weakly: the ring's byte budget counts only the raw values,
    /// and decoded objects take several times their JSON, so 64 MiB of large values must not pin
    /// some hundreds of MB of objects; watchers that read the event together still share one.
    /// </summary>
    private const int StronglyHeldBytes = 16 * 1024;

    private readonly ResourceDefinition _resource;
    private object? _decoded;
    private object? _previous;
    private object? _encoded;

    public CachedEvent(ResourceDefinition resource, StoreEvent change)
    {
        _resource = resource;
        Change = change;
    }

    public StoreEvent Change { get; }

    /// <summary>What the watch cache counts against its byte budget: the value and the previous value it holds.</summary>
    public long Bytes => Change.Value.Length + Change.Previous.Length + Change.Key.Length;

    /// <summary>The object with its resourceVersion set to the change's revision.</summary>
    public KubeObject Decoded => Decode(ref _decoded, Change.Value);

    /// <summary>The object before an update (null for creates and deletes), for watches with selectors.</summary>
    public KubeObject? Previous => Change.Type != StoreEventType.Updated || Change.Previous.IsEmpty
        ? null
        : Decode(ref _previous, Change.Previous);

    /// <summary>
    /// The object's protobuf <paramref name="message"/> (no envelope) with the change's revision as
    /// resourceVersion. Held as the decoded object is (weakly above <see cref="StronglyHeldBytes"/>
    /// of JSON); a message is about 40% of the JSON, so the ring holds at most that much more.
    /// </summary>
    /// <exception cref="ProtoDecodeException">The stored JSON does not fit the message.</exception>
    public byte[] Encoded(ProtoMessage message)
    {
        switch (Volatile.Read(ref _encoded))
        {
            case byte[] held:
                return held;
            case WeakReference<byte[]> weak when weak.TryGetTarget(out var alive):
                return alive;
        }

        byte[] bytes;
        using (var output = new ProtoOutput(0, Change.Value.Length))
        {
            JsonToProto.Write(Change.Value.Span, message, output, Change.Revision);
            bytes = output.Written.ToArray();
        }

        Volatile.Write(ref _encoded, Change.Value.Length <= StronglyHeldBytes ? bytes : new WeakReference<byte[]>(bytes));
        return bytes;
    }

    /// <summary>The object in <paramref name="slot"/>, or decoded from <paramref name="value"/> into it (two racing readers may both decode; either result is right).</summary>
    private KubeObject Decode(ref object? slot, ReadOnlyMemory<byte> value)
    {
        switch (Volatile.Read(ref slot))
        {
            case KubeObject held:
                return held;
            case WeakReference<KubeObject> weak when weak.TryGetTarget(out var alive):
                return alive;
        }

        var decoded = ObjectCodec.Decode(_resource, value, Change.Revision);
        Volatile.Write(ref slot, value.Length <= StronglyHeldBytes ? decoded : new WeakReference<KubeObject>(decoded));
        return decoded;
    }
}
