using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeProxyFast.Client;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// The few <c>certificates.k8s.io/v1</c> CertificateSigningRequest calls of client-go's
/// <c>util/certificate/csr</c>: create one, then wait until it is approved and signed (or denied,
/// or failed). Spoken as JSON on the wire so the agent needs nothing of the server's model.
/// </summary>
internal sealed class CertificateSigningRequestClient : IDisposable
{
    private const string Collection = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    private readonly HttpClient _http;
    private readonly string _identity;

    /// <summary>A client of <paramref name="server"/> with <paramref name="credentials"/>; <paramref name="identity"/> names them in errors ("the bootstrap token abcdef").</summary>
    public CertificateSigningRequestClient(Uri server, KubeClientCredentials credentials, string identity)
    {
        _http = new HttpClient(credentials.CreateHandler()) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        _identity = identity;
    }

    /// <summary>Creates the CSR <paramref name="name"/> for the PEM <paramref name="request"/>, to be signed by <paramref name="signerName"/> for <paramref name="usages"/>.</summary>
    /// <exception cref="NodeBootstrapException">The server refused it; the message says why (the credentials, the permission, the API).</exception>
    public async Task CreateAsync(string name, string request, string signerName, IReadOnlyList<string> usages, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(request)),
                ["signerName"] = signerName,
                ["usages"] = new JsonArray([.. usages.Select(u => JsonValue.Create(u))]),
            },
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await SendAsync(HttpMethod.Post, Collection, content, $"creating CertificateSigningRequest {name}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls CSR <paramref name="name"/> every <paramref name="interval"/> until it has a certificate
    /// (returned as PEM text), is denied or failed, or <paramref name="timeout"/> passes.
    /// </summary>
    /// <exception cref="NodeBootstrapException">Denied, failed, gone, or not signed in time.</exception>
    public async Task<string> WaitForCertificateAsync(string name, TimeSpan timeout, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            using (var response = await SendAsync(HttpMethod.Get, Collection + "/" + name, null, $"reading CertificateSigningRequest {name}", cancellationToken).ConfigureAwait(false))
            {
                var csr = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                if (Outcome(name, csr) is { } certificate)
                {
                    return certificate;
                }
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new NodeBootstrapException(
                    $"CertificateSigningRequest {name} was not approved and signed within {timeout.TotalMinutes:0.#} min: " +
                    "is the controller manager running (its csrapproving and csrsigning controllers)? An operator can approve it: kubectl certificate approve " + name);
            }

            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    /// <summary>The signed certificate's PEM, null while pending; throws when denied or failed.</summary>
    private static string? Outcome(string name, JsonNode? csr)
    {
        if (csr?["status"] is not JsonObject status)
        {
            return null;
        }

        if (status["conditions"] is JsonArray conditions)
        {
            foreach (var condition in conditions)
            {
                var type = condition?["type"]?.GetValue<string>();
                if (type is "Denied" or "Failed")
                {
                    var reason = condition?["reason"]?.GetValue<string>() ?? "";
                    var message = condition?["message"]?.GetValue<string>() ?? "";
                    throw new NodeBootstrapException($"CertificateSigningRequest {name} was {(type == "Denied" ? "denied" : "not signed (Failed)")}: {reason} {message}".TrimEnd());
                }
            }
        }

        return status["certificate"]?.GetValue<string>() is { Length: > 0 } certificate
            ? Encoding.ASCII.GetString(Convert.FromBase64String(certificate))
            : null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string doing, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new NodeBootstrapException($"{doing}: cannot reach the server at {_http.BaseAddress}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeBootstrapException($"{doing}: the server at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var message = await StatusMessageAsync(response, cancellationToken).ConfigureAwait(false);
            throw new NodeBootstrapException(response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => $"{doing}: the server refused {_identity} (401 Unauthorized): unknown, expired, or not usable for authentication",
                HttpStatusCode.Forbidden => $"{doing}: {_identity} may not do this (403 Forbidden): {message}",
                HttpStatusCode.NotFound when method == HttpMethod.Post => $"{doing}: the server does not serve certificates.k8s.io/v1 CertificateSigningRequests (404): {message}",
                _ => $"{doing}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}: {message}",
            });
        }
    }

    /// <summary>The message of a Status body, or the body itself.</summary>
    private static async Task<string> StatusMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
