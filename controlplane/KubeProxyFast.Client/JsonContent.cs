using System.Net.Http.Headers;
using System.Text;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

/// <summary>Request bodies in JSON, encoded with the source-generated <see cref="KubeJson"/>.</summary>
internal static class JsonContent
{
    private const string ApplicationJson = "application/json";

    /// <summary>The object with its <c>apiVersion</c>/<c>kind</c>, filled from its type when missing (the caller's object is not changed).</summary>
    public static ByteArrayContent Of(KubeObject obj)
    {
        var bytes = KubeJson.SerializeObject(obj);
        if (obj.Kind is null || obj.ApiVersion is null)
        {
            // Serialize a typed copy rather than mutate the caller's object.
            var copy = KubeJson.Deserialize(bytes, obj.GetType());
            bytes = KubeJson.SerializeObject(KubeKinds.WithTypeMeta(copy));
        }

        return Of(bytes);
    }

    public static ByteArrayContent Of(byte[] json, string mediaType = ApplicationJson)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static ByteArrayContent Of(string json, string mediaType) => Of(Encoding.UTF8.GetBytes(json), mediaType);
}
