using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// The kubelet's API (<c>:10250</c>): Kestrel over TLS 1.2/1.3 with HTTP/2 and HTTP/1.1, serving
/// the <see cref="ServingCertificate"/> (reloaded when its files change), asking for a client
/// certificate without requiring one; every request authenticated (<see cref="KubeletAuthenticator"/>,
/// 401 <c>Unauthorized</c>) and authorized (<see cref="IKubeletAuthorizer"/>, 403 with the kubelet's
/// <c>Forbidden (user=…)</c> text) before <see cref="KubeletEndpoints"/> answers it.
/// </summary>
public sealed class KubeletServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServingCertificate _certificate;
    private readonly ClientCertificateAuthorities _authorities;

    private KubeletServer(WebApplication app, ServingCertificate certificate, ClientCertificateAuthorities authorities, Uri url)
    {
        _app = app;
        _certificate = certificate;
        _authorities = authorities;
        Url = url;
    }

    /// <summary>Where it serves (a wildcard address as 127.0.0.1), with the port really bound.</summary>
    public Uri Url { get; }

    /// <summary>The serving certificate of the next handshake.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate => _certificate.Certificate;

    /// <summary>
    /// Starts serving for node <paramref name="nodeName"/>, asking the apiserver through
    /// <paramref name="client"/> for TokenReviews, SubjectAccessReviews and the client CA.
    /// </summary>
    /// <param name="options">The flags of the server.</param>
    /// <param name="client">The kubelet's apiserver client (not disposed with the server).</param>
    /// <param name="nodeName">This node: the name every request is authorized against.</param>
    /// <param name="pki">The kubelet's certificate directory (<c>&lt;data-dir&gt;/pki</c>).</param>
    /// <param name="addresses">The node's addresses, for a self-signed certificate.</param>
    /// <param name="pods">The pods of <c>/pods</c>.</param>
    /// <param name="metrics">The metrics of <c>/metrics</c>; the server adds its request counter.</param>
    /// <param name="loggerFactory">The logs.</param>
    /// <param name="time">The clock of certificates and caches.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="IOException">A certificate cannot be read or made, or the address cannot be bound.</exception>
    public static async Task<KubeletServer> StartAsync(
        KubeletServerOptions options, KubeClient client, string nodeName, string pki, IReadOnlyList<IPAddress> addresses,
        Func<IReadOnlyList<Pod>> pods, MetricsRegistry metrics, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(metrics);
        var logger = loggerFactory.CreateLogger<KubeletServer>();
        var certificate = ServingCertificate.Load(options.TlsCertFile, options.TlsPrivateKeyFile, pki, nodeName, addresses, time, logger);
        var authorities = new ClientCertificateAuthorities(options.ClientCaFile, client, options.ClientCaRefreshInterval, time, logger);
        try
        {
            await authorities.StartAsync(cancellationToken).ConfigureAwait(false);
            var tokens = options.AuthenticationTokenWebhook ? new TokenReviewAuthenticator(client, options.TokenCacheTtl, time, logger) : null;
            var authenticator = new KubeletAuthenticator(authorities, tokens, options.AnonymousAuth, time);
            IKubeletAuthorizer authorizer = options.AuthorizationMode == KubeletAuthorizationMode.Webhook
                ? new SubjectAccessReviewAuthorizer(client, options.AuthorizedCacheTtl, options.UnauthorizedCacheTtl, time, logger)
                : new AlwaysAllowAuthorizer();
            var requests = metrics.Counter("kubelet_http_requests_total", "Number of the http requests received since the server started",
                ["method", "path", "server_type"]);
            var pipeline = new KubeletRequestPipeline(authenticator, authorizer, new KubeletEndpoints(pods, metrics), nodeName, requests, logger);
            var app = Build(options, certificate, pipeline);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new IOException($"cannot serve the kubelet API on {options.Address}:{options.Port}: {e.Message}", e);
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var url = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
            KubeletServerLog.Serving(logger, url.ToString(), tokens is not null, options.AnonymousAuth, options.AuthorizationMode);
            return new KubeletServer(app, certificate, authorities, url);
        }
        catch
        {
            await authorities.DisposeAsync().ConfigureAwait(false);
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>Stops serving; requests in flight are cut.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _authorities.DisposeAsync().ConfigureAwait(false);
        _certificate.Dispose();
    }

    private static WebApplication Build(KubeletServerOptions options, ServingCertificate certificate, KubeletRequestPipeline pipeline)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The server reports through its own log messages; ASP.NET Core's (a line per request) are not wanted.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = certificate.Context(),
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                        // Asked for, not required: a request without one may carry a bearer token;
                        // the authenticator checks the chain against the client CA of the moment.
                        ClientCertificateRequired = true,
#pragma warning disable CA5359 // client certificates: KubeletAuthenticator verifies them against the client CA
                        RemoteCertificateValidationCallback = AnyClientCertificate,
#pragma warning restore CA5359
                        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    }),
                });
            });
        });
        var app = builder.Build();
        app.Run(pipeline.HandleAsync);
        return app;
    }

    /// <summary>
    /// Lets the handshake finish with any client certificate (or none): the authenticator verifies
    /// it against the client CA of the moment, so a bad one is a 401 rather than a broken
    /// connection, as in Kubernetes.
    /// </summary>
    private static bool AnyClientCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) => true;

    /// <summary>Not the console lifetime: the kubelet's host owns the process's signals and output.</summary>
    private sealed class QuietLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
