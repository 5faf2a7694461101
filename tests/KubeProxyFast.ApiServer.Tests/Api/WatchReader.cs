using System.Net;
using System.Text.Json;

namespace KubeProxyFast.ApiServer.Tests.Api;

/// <summary>Reads a watch response line by line, each line one event, with a bound on every wait.</summary>
internal sealed class WatchReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public HttpStatusCode StatusCode => _response.StatusCode;

    public static async Task<WatchReader> OpenAsync(HttpClient http, string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new WatchReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event's type and object; fails after <paramref name="within"/> (5 s by default).</summary>
    public async Task<(string Type, JsonElement Object)> NextAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(5));
        var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the watch ended");
        var root = JsonDocument.Parse(line).RootElement.Clone();
        return (root.GetProperty("type").GetString()!, root.GetProperty("object"));
    }

    /// <summary>True when the server ends the stream within <paramref name="within"/>.</summary>
    public async Task<bool> EndsAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _reader.ReadLineAsync(timeout.Token) is null;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
