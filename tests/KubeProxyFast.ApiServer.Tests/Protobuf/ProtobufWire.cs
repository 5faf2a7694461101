using System.Buffers.Binary;
using System.Net.Http.Headers;
using Google.Protobuf;
using KubeProxyFast.Testing;
using Gen = KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.ApiServer.Tests.Protobuf;

/// <summary>
/// A protobuf client for the tests, built on the classes Grpc.Tools generated (not on the server's
/// transcoder): bodies enveloped as client-go envelopes them, responses and watch frames read back.
/// </summary>
internal static class ProtobufWire
{
    /// <summary>The Accept header of client-go's typed clients (kubectl create namespace).</summary>
    public const string ClientGoAccept = "application/vnd.kubernetes.protobuf, application/json";

    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary><c>k8s\0</c> + runtime.Unknown around <paramref name="message"/>.</summary>
    public static byte[] Envelope(IMessage message, string apiVersion, string kind)
    {
        var unknown = new Gen.Runtime.Unknown
        {
            TypeMeta = new Gen.Runtime.TypeMeta { ApiVersion = apiVersion, Kind = kind },
            Raw = message.ToByteString(),
            ContentEncoding = "",
            ContentType = "",
        };
        return [.. "k8s\0"u8, .. unknown.ToByteArray()];
    }

    public static Task<HttpResponseMessage> SendAsync(TestApiServer server, HttpMethod method, string path, byte[]? body, string accept = ClientGoAccept)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        }

        return server.Http.SendAsync(request);
    }

    /// <summary>The response's envelope, checked for the protobuf content type and the magic.</summary>
    public static async Task<Gen.Runtime.Unknown> ReadEnvelopeAsync(HttpResponseMessage response)
    {
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        return Unwrap(await response.Content.ReadAsByteArrayAsync());
    }

    public static Gen.Runtime.Unknown Unwrap(byte[] body)
    {
        Assert.True(body.AsSpan().StartsWith("k8s\0"u8), "the body does not start with k8s\\0");
        return Gen.Runtime.Unknown.Parser.ParseFrom(body.AsSpan(4));
    }

    /// <summary>The response's object, checked to be of <paramref name="kind"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, MessageParser<T> parser, string kind)
        where T : IMessage<T>
    {
        var unknown = await ReadEnvelopeAsync(response);
        Assert.Equal(kind, unknown.TypeMeta.Kind);
        return parser.ParseFrom(unknown.Raw);
    }

    /// <summary>Reads one length-prefixed frame of a protobuf watch: a bare meta/v1 WatchEvent.</summary>
    public static async Task<Gen.Meta.WatchEvent> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, cancellationToken);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(length)];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return Gen.Meta.WatchEvent.Parser.ParseFrom(frame);
    }
}
