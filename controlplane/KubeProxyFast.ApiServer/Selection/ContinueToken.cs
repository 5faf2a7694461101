using System.Buffers.Text;
using System.Text.Json;
using KubeProxyFast.ApiServer.Errors;

namespace KubeProxyFast.ApiServer.Selection;

/// <summary>
/// The <c>continue</c> token of a paged list, in Kubernetes' shape: base64 of
/// <c>{"v":"meta.k8s.io/v1","rv":&lt;revision&gt;,"start":"&lt;key after the prefix&gt;"}</c>.
/// The next page reads at the same revision, so pages form one consistent list.
/// </summary>
internal static class ContinueToken
{
    private const string Version = "meta.k8s.io/v1";

    public static string Encode(long revision, string startAfterKey, string prefix)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("v", Version);
            writer.WriteNumber("rv", revision);
            // The position relative to the prefix: a token cannot be replayed against another resource's keys.
            writer.WriteString("start", startAfterKey[prefix.Length..] + "\u0000");
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>The revision and the key after which the next page starts.</summary>
    /// <exception cref="StatusException">400 when the token is not one of ours.</exception>
    public static (long Revision, string StartAfter) Decode(string token, string prefix)
    {
        try
        {
            var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(token.Length)];
            if (!Convert.TryFromBase64String(token, bytes, out var length))
            {
                throw Invalid("not base64");
            }

            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            var root = document.RootElement;
            if (root.GetProperty("v").GetString() != Version)
            {
                throw Invalid("unknown version");
            }

            var revision = root.GetProperty("rv").GetInt64();
            var start = root.GetProperty("start").GetString() ?? throw Invalid("no start");
            if (revision <= 0 || !start.EndsWith('\u0000'))
            {
                throw Invalid("bad position");
            }

            return (revision, prefix + start[..^1]);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid(e.Message);
        }
    }

    private static StatusException Invalid(string why) =>
        StatusErrors.BadRequest("continue key is not valid: " + why);
}
