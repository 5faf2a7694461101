using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>
/// An httpGet probe as Kubernetes makes it: <c>GET</c> with the probe's headers (a <c>Host</c>
/// header sets the request's host), <c>User-Agent: kube-probe/&lt;major&gt;.&lt;minor&gt;</c> and
/// <c>Accept: */*</c> unless the probe sets them, no keep-alive, no proxy, and for https no
/// certificate verification. A status in 200–399 is success. Redirects are followed (at most 10)
/// while they stay on the original host name; one to another host is not followed and the 3xx
/// itself counts as success. At most <see cref="MaxBodyBytes"/> of the body are read. The whole
/// exchange must finish within the timeout.
/// </summary>
public sealed class HttpProber : IDisposable
{
    /// <summary>The Kubernetes minor release whose probe behaviour this follows, named in the User-Agent.</summary>
    public const string DefaultUserAgent = "kube-probe/1.32";

    /// <summary>Most body bytes read (Kubernetes' 10 KiB).</summary>
    public const int MaxBodyBytes = 10 * 1024;

    /// <summary>Redirects followed before the probe fails (Go's client stops after 10).</summary>
    public const int MaxRedirects = 10;

    private readonly HttpMessageInvoker _client;
    private readonly TimeProvider _time;
    private readonly string _userAgent;

    /// <summary>An HTTP prober; timeouts run on <paramref name="time"/> (the system clock by default).</summary>
    public HttpProber(TimeProvider? time = null, string userAgent = DefaultUserAgent)
    {
        _time = time ?? TimeProvider.System;
        _userAgent = userAgent;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        // Kubernetes probes https endpoints without verifying their certificate (a pod's serving
        // certificate is rarely issued for its pod IP); the probe checks liveness, not identity.
#pragma warning disable CA5359
        handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        _client = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>The URL a probe asks: <c>scheme://host:port/path</c>, the host bracketed when IPv6.</summary>
    public static Uri UrlOf(string? scheme, string host, int port, string? path)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var s = string.IsNullOrEmpty(scheme) ? "http" : scheme.ToLowerInvariant();
        var p = string.IsNullOrEmpty(path) ? "/" : path.StartsWith('/') ? path : "/" + path;
        return new Uri($"{s}://{JoinHostPort(host, port)}{p}");
    }

    /// <summary><c>host:port</c>, with an IPv6 host in brackets.</summary>
    public static string JoinHostPort(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>GETs <paramref name="url"/> with <paramref name="headers"/>, all within <paramref name="timeout"/>.</summary>
    public async Task<ProbeResult> ProbeAsync(Uri url, IReadOnlyList<HttpHeader>? headers, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var current = url;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = Request(current, url, headers);
                using var response = await _client.SendAsync(request, linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (!string.Equals(next.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase))
                    {
                        var body = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
                        return ProbeResult.Success($"Probe terminated redirects to {next}, Response body: {body}");
                    }

                    if (redirects == MaxRedirects)
                    {
                        return ProbeResult.Failure($"Get \"{url}\": stopped after {MaxRedirects} redirects");
                    }

                    current = next;
                    continue;
                }

                var text = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
                return status is >= 200 and < 400
                    ? ProbeResult.Success(text)
                    : ProbeResult.Failure($"HTTP probe failed with statuscode: {status}" + (text.Length > 0 ? $", body: {text}" : ""));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ProbeResult.Failure($"Get \"{current}\": timeout after {timeout.TotalSeconds:0.###}s awaiting the response");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Failure($"Get \"{current}\": {Describe(e)}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private HttpRequestMessage Request(Uri current, Uri original, IReadOnlyList<HttpHeader>? headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, current) { Version = HttpVersion.Version11 };
        request.Headers.ConnectionClose = true;
        var userAgent = false;
        var accept = false;
        foreach (var header in headers ?? [])
        {
            if (string.Equals(header.Name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                // A Host header names the virtual host; it is kept through redirects on the same host.
                if (string.Equals(current.IdnHost, original.IdnHost, StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Host = header.Value;
                }

                continue;
            }

            userAgent |= string.Equals(header.Name, "User-Agent", StringComparison.OrdinalIgnoreCase);
            accept |= string.Equals(header.Name, "Accept", StringComparison.OrdinalIgnoreCase);
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        if (!userAgent)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        }

        if (!accept)
        {
            request.Headers.TryAddWithoutValidation("Accept", "*/*");
        }

        return request;
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var n = 0;
            while (n < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(n), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                n += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, n);
        }
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is SocketException s ? s.Message : e.InnerException?.Message ?? e.Message;
}
