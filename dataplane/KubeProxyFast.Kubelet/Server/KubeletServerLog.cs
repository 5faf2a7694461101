using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>The kubelet API's log messages (event ids 1640–1649).</summary>
internal static partial class KubeletServerLog
{
    [LoggerMessage(1640, LogLevel.Information, "Kubelet API serving on {Url} (authentication: client certificates, token webhook {TokenWebhook}, anonymous {Anonymous}; authorization {Mode})")]
    public static partial void Serving(ILogger logger, string url, bool tokenWebhook, bool anonymous, KubeletAuthorizationMode mode);

    [LoggerMessage(1641, LogLevel.Warning, "The TokenReview of a bearer token failed; the request is unauthorized: {Error}")]
    public static partial void TokenReviewFailed(ILogger logger, string error);

    [LoggerMessage(1642, LogLevel.Warning, "The SubjectAccessReview of {User} ({Verb} nodes/{Subresource}) failed: {Error}")]
    public static partial void AccessReviewFailed(ILogger logger, string user, string verb, string subresource, string error);

    [LoggerMessage(1643, LogLevel.Warning, "Cannot read the client CA from ConfigMap kube-system/extension-apiserver-authentication; client certificates are refused until it is read: {Error}")]
    public static partial void ClientCaUnavailable(ILogger logger, string error);

    [LoggerMessage(1644, LogLevel.Information, "Client CA read ({Count} certificate(s)) from {Source}")]
    public static partial void ClientCaLoaded(ILogger logger, int count, string source);

    [LoggerMessage(1645, LogLevel.Information, "Serving certificate {Subject} (until {NotAfter:O}) loaded from {Path}")]
    public static partial void ServingCertificateLoaded(ILogger logger, string subject, DateTime notAfter, string path);

    [LoggerMessage(1646, LogLevel.Warning, "Cannot read the serving certificate {Path}; the last good one is kept: {Error}")]
    public static partial void ServingCertificateUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(1647, LogLevel.Debug, "Forbidden: {Message}")]
    public static partial void Forbidden(ILogger logger, string message);
}
