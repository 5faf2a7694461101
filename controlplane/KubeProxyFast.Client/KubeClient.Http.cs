using System.Globalization;
using System.Net;
using System.Text;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

public sealed partial class KubeClient
{
    private async Task<T> SendForObjectAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
        where T : class
    {
        var body = await SendForBytesAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        return KubeJson.Deserialize<T>(body);
    }

    private async Task<byte[]> SendForBytesAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the request; a non-2xx answer becomes <see cref="KubeApiException"/>, a transport failure <see cref="KubeConnectionException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new KubeConnectionException(method.Method, Absolute(path), e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, not the caller's token.
            throw new KubeConnectionException(method.Method, Absolute(path), new TimeoutException($"no answer within {_http.Timeout}", e));
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private Uri Absolute(string path) => new(BaseAddress, path);

    /// <summary>The Status of an error response; one built from the code when the body is not a Status (a proxy's HTML page, say).</summary>
    private static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = [];
        }

        var status = TryDecodeStatus(body) ?? new Status
        {
            Result = "Failure",
            Code = code,
            Reason = ReasonOf(response.StatusCode),
            Message = body.Length > 0 ? Encoding.UTF8.GetString(body) : response.ReasonPhrase,
        };
        status.Code ??= code;
        return new KubeApiException(status);
    }

    internal static Status? TryDecodeStatus(ReadOnlySpan<byte> body)
    {
        try
        {
            var status = KubeJson.Deserialize<Status>(body);
            // Kind defaults to "Status" in the model, so look for what an error Status always has.
            return status.Code is not null || status.Reason is not null ? status : null;
        }
        catch (KubeDecodeException)
        {
            return null;
        }
    }

    private static string ReasonOf(HttpStatusCode code) => (int)code switch
    {
        400 => StatusReasons.BadRequest,
        401 => StatusReasons.Unauthorized,
        403 => StatusReasons.Forbidden,
        404 => StatusReasons.NotFound,
        405 => StatusReasons.MethodNotAllowed,
        409 => StatusReasons.Conflict,
        410 => StatusReasons.Expired,
        413 => StatusReasons.RequestEntityTooLarge,
        415 => StatusReasons.UnsupportedMediaType,
        422 => StatusReasons.Invalid,
        503 => StatusReasons.ServiceUnavailable,
        500 => StatusReasons.InternalError,
        504 => StatusReasons.Timeout,
        _ => code.ToString(),
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
