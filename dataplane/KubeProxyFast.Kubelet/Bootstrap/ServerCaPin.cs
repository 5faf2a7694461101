using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>
/// The first contact of a joining agent, as k3s's: <c>GET /cacerts</c> with the server's
/// certificate not verified (the agent trusts nothing yet) and no credentials sent, then the bytes
/// trusted only when their SHA-256 equals the hash the join token carries. From then on every
/// connection verifies the server against exactly that bundle, so a server that is not the token's
/// never sees the bootstrap token.
/// </summary>
public static class ServerCaPin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The CA bundle of <paramref name="server"/>, checked against <paramref name="token"/>'s hash.</summary>
    /// <exception cref="NodeBootstrapException">The server cannot be reached, serves no bundle, or serves one of another hash.</exception>
    public static async Task<byte[]> FetchAsync(Uri server, JoinToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(token);
        var url = new Uri(server, "/cacerts");
        // Verification is skipped for this one request only: the hash check below is what authenticates the answer.
        using var http = new HttpClient(new KubeClientCredentials { InsecureSkipTlsVerify = true }.CreateHandler()) { Timeout = Timeout };
        byte[] bundle;
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new NodeBootstrapException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: the server publishes no CA bundle there (is it a kpf or k3s server?)");
            }

            bundle = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new NodeBootstrapException($"cannot reach the server at {url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeBootstrapException($"cannot reach the server at {url}: no answer within {Timeout.TotalSeconds:0} s", e);
        }

        if (!CaHash.Matches(bundle, token.CaHash))
        {
            throw new NodeBootstrapException(
                $"the server at {server} serves a CA bundle whose SHA-256 is {CaHash.Of(bundle)}, but the join token pins {token.CaHash}: " +
                "refusing to join (a server of another cluster, a token of another cluster, or someone in between)");
        }

        try
        {
            _ = Parse(bundle);
        }
        catch (CryptographicException e)
        {
            throw new NodeBootstrapException($"the CA bundle of {url} matches the token's hash but holds no PEM certificate: {e.Message}", e);
        }

        return bundle;
    }

    /// <summary>The certificates of a pinned bundle.</summary>
    /// <exception cref="CryptographicException">The bytes hold no PEM certificate.</exception>
    public static X509Certificate2Collection Parse(byte[] bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return PemFiles.ParseCertificates(System.Text.Encoding.ASCII.GetString(bundle));
    }
}
