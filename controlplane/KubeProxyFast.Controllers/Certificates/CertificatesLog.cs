using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Controllers.Certificates;

internal static partial class CertificatesLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Controller}: syncing CertificateSigningRequest {Name} failed; retrying")]
    public static partial void SyncFailed(ILogger logger, string controller, string name, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Approved CertificateSigningRequest {Name} for signer {Signer}, requested by {Requester}")]
    public static partial void Approved(ILogger logger, string name, string signer, string requester);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Skipping CSR signer controller because no csr cert/key was specified")]
    public static partial void SignerSkipped(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Signing CertificateSigningRequests for {Signer} with CA {Subject}")]
    public static partial void SignerStarted(ILogger logger, string signer, string subject);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Issued CertificateSigningRequest {Name} ({Signer}): {Subject}, valid until {NotAfter:o}")]
    public static partial void Signed(ILogger logger, string name, string signer, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "CertificateSigningRequest {Name} cannot be issued by {Signer}: {Reason}")]
    public static partial void SignFailed(ILogger logger, string name, string signer, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Deleted CertificateSigningRequest {Name}: {Why}")]
    public static partial void Cleaned(ILogger logger, string name, string why);
}
