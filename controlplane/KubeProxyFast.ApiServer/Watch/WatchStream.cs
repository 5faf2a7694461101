using System.Globalization;
using System.IO.Pipelines;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Protobuf;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Printing;

namespace KubeProxyFast.ApiServer.Watch;

/// <summary>
/// The response side of a watch: one JSON line per event, or, when the client prefers protobuf,
/// one length-prefixed frame per event (<see cref="KubeEnvelope.WrapWatchEvent"/>).
/// </summary>
internal sealed class WatchStream : IDisposable
{
    /// <summary>
    /// Written bytes after which the stream is flushed even when more events wait. A flush waits
    /// for the client (Kestrel's 64 KiB response buffer), so a watch holds about this much plus
    /// one event, however much history it replays: without it 300 waiting events of 2.5 MB each
    /// went into the response pipe at once, 0.6 GB per watch.
    /// </summary>
    public const int FlushBytes = 64 * 1024;

    private readonly ApiContext _context;
    private readonly PipeWriter _output;
    private readonly ResourceDefinition _resource;
    private readonly ProtoMessage? _protobuf;
    private readonly ProtoOutput? _frame;
    private TablePrintOptions? _table;
    private long _unflushed;

    public WatchStream(ApiContext context, ResourceDefinition resource)
    {
        _context = context;
        _output = context.Http.Response.BodyWriter;
        _resource = resource;
        _table = context.TableRequest();
        if (_table is null && ContentNegotiation.For(context.Http) == ResponseFormat.Protobuf)
        {
            _protobuf = ProtoKinds.Find(resource.ApiVersion, resource.Kind) ?? throw Errors.StatusErrors.NotProtobuf(resource.Kind);
            _frame = new ProtoOutput(KubeEnvelope.Gap);
        }
    }

    /// <summary>Bytes written since the last flush.</summary>
    public long Unflushed => _unflushed;

    /// <summary>Sends the headers at once, so the client knows the watch is established.</summary>
    public async Task StartAsync()
    {
        ResponseWriter.Start(_context.Http, 200);
        if (_protobuf is not null)
        {
            _context.Http.Response.ContentType = KubeEnvelope.WatchMediaType;
        }

        await _context.Http.Response.StartAsync(_context.Aborted).ConfigureAwait(false);
        await _output.FlushAsync(_context.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// One event. For kubectl get -w the object is a one-row Table, with the column definitions
    /// in the first event only, as kube-apiserver sends them.
    /// </summary>
    public void WriteEvent(string type, CachedEvent e)
    {
        if (_protobuf is not null)
        {
            // The event's message is shared by every protobuf watch of the resource.
            var frame = _frame!;
            frame.Reset(KubeEnvelope.Gap);
            frame.WriteRaw(e.Encoded(_protobuf));
            WriteFrame(frame, type, _resource.ApiVersion, _resource.Kind);
            return;
        }

        WriteEvent(type, e.Change.Value, e.Change.Revision, _table is null ? null : e.Decoded);
    }

    /// <summary>An event of a stored value; <paramref name="decoded"/> when the caller has it already.</summary>
    public void WriteEvent(string type, ReadOnlyMemory<byte> stored, long revision, KubeObject? decoded)
    {
        if (_protobuf is not null)
        {
            WriteFrame(type, stored.Span, _resource.ApiVersion, _resource.Kind, revision);
            return;
        }

        Write("{\"type\":\""u8);
        Write(System.Text.Encoding.ASCII.GetBytes(type));
        Write("\",\"object\":"u8);
        if (_table is { } options)
        {
            // Decoded objects are shared by the watches of a resource: printed, never changed.
            var obj = decoded ?? ObjectCodec.Decode(_resource, stored, revision);
            using (var writer = KubeJson.CreateWriter(_output))
            {
                TableJson.Serialize(writer, _context.Printer.Print(_resource.Name, [obj], options));
                writer.Flush();
                _unflushed += writer.BytesCommitted;
            }

            _table = options with { NoHeaders = true };
        }
        else
        {
            ObjectCodec.WriteWithResourceVersion(_output, stored.Span, revision);
            _unflushed += stored.Length;
        }

        Write("}\n"u8);
    }

    public void WriteBookmark(ResourceDefinition resource, long revision)
    {
        if (_protobuf is not null)
        {
            WriteFrame(WatchEventTypes.Bookmark, "{\"metadata\":{}}"u8, resource.ApiVersion, resource.Kind, revision);
            return;
        }

        using (var writer = KubeJson.CreateWriter(_output))
        {
            writer.WriteStartObject();
            writer.WriteString("type", WatchEventTypes.Bookmark);
            writer.WriteStartObject("object");
            writer.WriteString("kind", resource.Kind);
            writer.WriteString("apiVersion", resource.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", revision.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        Write("\n"u8);
    }

    public async Task WriteErrorAsync(Status status)
    {
        if (_protobuf is not null)
        {
            WriteFrame(WatchEventTypes.Error, KubeJson.SerializeToUtf8Bytes(status), "v1", "Status", 0);
            await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }

        using (var writer = KubeJson.CreateWriter(_output))
        {
            writer.WriteStartObject();
            writer.WriteString("type", WatchEventTypes.Error);
            writer.WritePropertyName("object");
            KubeJson.Serialize(writer, status);
            writer.WriteEndObject();
        }

        Write("\n"u8);
        await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _unflushed = 0;
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the frame buffer to the pool.</summary>
    public void Dispose() => _frame?.Dispose();

    /// <summary>One protobuf frame: the object (its revision set) enveloped, in a WatchEvent, behind its length.</summary>
    private void WriteFrame(string type, ReadOnlySpan<byte> json, string apiVersion, string kind, long revision)
    {
        var frame = _frame!;
        frame.Reset(KubeEnvelope.Gap);
        var message = kind == _resource.Kind ? _protobuf! : ProtoKinds.Find(apiVersion, kind)!;
        JsonToProto.Write(json, message, frame, revision);
        WriteFrame(frame, type, apiVersion, kind);
    }

    /// <summary>Envelopes the message <paramref name="frame"/> holds, wraps it in a WatchEvent and writes it.</summary>
    private void WriteFrame(ProtoOutput frame, string type, string apiVersion, string kind)
    {
        KubeEnvelope.Wrap(frame, apiVersion, kind);
        KubeEnvelope.WrapWatchEvent(frame, type);
        Write(frame.Written);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
        _unflushed += bytes.Length;
    }
}
