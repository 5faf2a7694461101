using KubeProxyFast.Api.Certificates;

namespace KubeProxyFast.ApiServer.Printing.Kinds;

/// <summary>
/// CertificateSigningRequests as kubectl prints them: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION
/// CONDITION; CONDITION is Denied, Approved or Pending, then <c>,Failed</c> and <c>,Issued</c> as they apply.
/// </summary>
internal sealed class CertificateSigningRequestTable : KindTable<CertificateSigningRequest>
{
    private static readonly TableColumnDefinition[] s_columns =
    [
        Column.Name,
        Column.Age,
        Column.Text("SignerName", "signerName indicates the requested signer, and is a qualified name."),
        Column.Text("Requestor", "request contains an x509 certificate signing request encoded in a \"CERTIFICATE REQUEST\" PEM block. When serialized as JSON or YAML, the data is additionally base64-encoded."),
        Column.Text("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration."),
        Column.Text("Condition", "conditions applied to the request. Known conditions are \"Approved\", \"Denied\", and \"Failed\"."),
    ];

    /// <inheritdoc />
    public override string Resource => "certificatesigningrequests";

    /// <inheritdoc />
    public override IReadOnlyList<TableColumnDefinition> Columns => s_columns;

    /// <inheritdoc />
    protected override IReadOnlyList<object> Cells(CertificateSigningRequest obj, DateTimeOffset now) =>
    [
        obj.Metadata.Name ?? "",
        Cell.Age(obj.Metadata.CreationTimestamp, now),
        Cell.OrNone(obj.Spec?.SignerName),
        obj.Spec?.Username ?? "",
        obj.Spec?.ExpirationSeconds is { } seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : Cell.None,
        Condition(obj.Status),
    ];

    private static string Condition(CertificateSigningRequestStatus? status)
    {
        bool approved = false, denied = false, failed = false;
        foreach (var c in status?.Conditions ?? [])
        {
            approved |= c.Type == CsrConditionTypes.Approved;
            denied |= c.Type == CsrConditionTypes.Denied;
            failed |= c.Type == CsrConditionTypes.Failed;
        }

        // In kubectl's order of precedence.
        var text = denied ? "Denied" : approved ? "Approved" : "Pending";
        if (failed)
        {
            text += ",Failed";
        }

        return status?.Certificate is { Length: > 0 } ? text + ",Issued" : text;
    }
}
