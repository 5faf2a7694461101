using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace KubeProxyFast.ApiServer.Security;

/// <summary>
/// The secure listener, as kube-apiserver's: TLS 1.2 or 1.3 (1.3 preferred, as OpenSSL negotiates
/// it first), HTTP/2 and HTTP/1.1 by ALPN, the serving certificate and its chain, and a client
/// certificate asked for but not required — its chain is checked by the client-certificate
/// authenticator against the client CA, so a bad one is a 401 with a Status rather than a failed
/// handshake, as in Kubernetes.
/// </summary>
internal static class ServingTls
{
    public static void Configure(ListenOptions listen, ApiServerSecurity security)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = security.ServingCertificate,
            ServerCertificateChain = security.ServingChain,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
            CheckCertificateRevocation = false,
        });
    }
}
