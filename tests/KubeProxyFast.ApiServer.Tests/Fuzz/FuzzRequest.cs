using System.Text;

namespace KubeProxyFast.ApiServer.Tests.Fuzz;

/// <summary>One generated request, and how to print it so a failure can be replayed by hand.</summary>
internal sealed record FuzzRequest(HttpMethod Method, string PathAndQuery, string? ContentType = null, byte[]? Body = null)
{
    /// <summary>What generated it (e.g. <c>yaml create</c>), for the tally and the failure list.</summary>
    public string Kind { get; init; } = "";

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, PathAndQuery);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"[{Kind}] {Method} {PathAndQuery}");
        if (Body is not null)
        {
            var body = Encoding.UTF8.GetString(Body);
            text.Append($" ({ContentType}, {Body.Length} bytes): ").Append(body.Length > 400 ? body[..400] + "…" : body);
        }

        return text.ToString();
    }
}
