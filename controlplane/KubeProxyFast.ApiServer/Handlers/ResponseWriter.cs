using System.Buffers;
using System.Text.Json;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>
/// Responses as the apiserver writes them: protobuf when the client prefers it
/// (<see cref="ContentNegotiation"/>), else JSON with Go's escaping (<see cref="KubeJson.CreateWriter"/>)
/// and a newline after the body, as Go's <c>json.Encoder</c> ends every value it writes.
/// </summary>
internal static class ResponseWriter
{
    public const string Json = "application/json";

    /// <summary>Writes <paramref name="obj"/> with <paramref name="code"/>.</summary>
    public static async Task WriteObjectAsync(HttpContext http, int code, KubeObject obj)
    {
        if (ContentNegotiation.For(http) == ResponseFormat.Protobuf)
        {
            await ProtobufResponse.WriteObjectAsync(http, code, obj).ConfigureAwait(false);
            return;
        }

        Start(http, code);
        using (var writer = KubeJson.CreateWriter(http.Response.BodyWriter))
        {
            KubeJson.SerializeObject(writer, obj);
        }

        EndBody(http.Response.BodyWriter);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a Status with its own code as the HTTP status.</summary>
    public static async Task WriteStatusAsync(HttpContext http, Status status)
    {
        if (ContentNegotiation.For(http) == ResponseFormat.Protobuf)
        {
            await ProtobufResponse.WriteStatusAsync(http, status).ConfigureAwait(false);
            return;
        }

        Start(http, status.Code ?? 500);
        using (var writer = KubeJson.CreateWriter(http.Response.BodyWriter))
        {
            KubeJson.Serialize(writer, status);
        }

        EndBody(http.Response.BodyWriter);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes any value through <paramref name="write"/> (discovery documents, tables): JSON only,
    /// so a client that accepts no JSON (protobuf alone) gets 406.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, int code, Action<Utf8JsonWriter> write)
    {
        ThrowUnlessJsonAccepted(http);
        Start(http, code);
        using (var writer = KubeJson.CreateWriter(http.Response.BodyWriter))
        {
            write(writer);
        }

        EndBody(http.Response.BodyWriter);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>406 when the Accept header leaves out JSON (for documents that have no other encoding).</summary>
    public static void ThrowUnlessJsonAccepted(HttpContext http)
    {
        var accept = http.Request.Headers.Accept.ToString();
        if (!ContentNegotiation.AcceptsJson(accept))
        {
            throw Errors.StatusErrors.NotAcceptable(accept);
        }
    }

    /// <summary>A Status of success, as Kubernetes answers some deletes and bindings.</summary>
    public static Status Success(int code, StatusDetails? details = null) =>
        new() { Result = "Success", Code = code, Details = details };

    /// <summary>The newline Go's encoder writes after each value (a body, a watch event).</summary>
    public static void EndBody(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>Sets the code and the headers every API response has.</summary>
    public static void Start(HttpContext http, int code)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = Json;
        http.Response.Headers.CacheControl = "no-cache, private";
    }
}
