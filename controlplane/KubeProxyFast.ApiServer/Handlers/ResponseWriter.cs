using System.Text.Json;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>JSON responses as the apiserver writes them.</summary>
internal static class ResponseWriter
{
    public const string Json = "application/json";

    /// <summary>Writes <paramref name="obj"/> with <paramref name="code"/>.</summary>
    public static async Task WriteObjectAsync(HttpContext http, int code, KubeObject obj)
    {
        Start(http, code);
        using (var writer = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            KubeJson.SerializeObject(writer, obj);
        }

        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a Status with its own code as the HTTP status.</summary>
    public static async Task WriteStatusAsync(HttpContext http, Status status)
    {
        Start(http, status.Code ?? 500);
        using (var writer = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            KubeJson.Serialize(writer, status);
        }

        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes any value through <paramref name="write"/> (discovery documents, tables).</summary>
    public static async Task WriteAsync(HttpContext http, int code, Action<Utf8JsonWriter> write)
    {
        Start(http, code);
        using (var writer = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            write(writer);
        }

        await http.Response.BodyWriter.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A Status of success, as Kubernetes answers some deletes and bindings.</summary>
    public static Status Success(int code, StatusDetails? details = null) =>
        new() { Result = "Success", Code = code, Details = details };

    /// <summary>Sets the code and the headers every API response has.</summary>
    public static void Start(HttpContext http, int code)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = Json;
        http.Response.Headers.CacheControl = "no-cache, private";
    }
}
