using System.Text.Json;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Authentication;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// CertificateSigningRequests, as Kubernetes' csr strategies: on create the requester fields
/// (<c>username</c>, <c>uid</c>, <c>groups</c>, <c>extra</c>) are the caller's, whatever the body
/// says, and the status is empty (nobody creates a pre-approved request); the object's own updates
/// change metadata only; <c>/status</c> changes the certificate and the conditions but not the
/// approval; <c>/approval</c> changes the conditions only.
/// </summary>
internal sealed class CertificateSigningRequestStrategy : ResourceStrategy
{
    private const string ExtraField = "extra";

    public override bool HasStatus => true;

    public override void PrepareForCreate(KubeObject obj, UserInfo requester)
    {
        var csr = (CertificateSigningRequest)obj;
        var spec = csr.Spec ??= new CertificateSigningRequestSpec();
        spec.Username = requester.Name;
        spec.Uid = string.IsNullOrEmpty(requester.Uid) ? null : requester.Uid;
        spec.Groups = requester.Groups.Count == 0 ? null : [.. requester.Groups];
        spec.UnknownFields?.Remove(ExtraField);
        if (requester.Extra.Count > 0)
        {
            (spec.UnknownFields ??= [])[ExtraField] = ExtraJson(requester.Extra);
        }

        csr.Status = new CertificateSigningRequestStatus();
    }

    public override void PrepareForUpdate(KubeObject obj, KubeObject old)
    {
        var csr = (CertificateSigningRequest)obj;
        var before = (CertificateSigningRequest)old;
        csr.Spec = before.Spec;
        csr.Status = before.Status;
    }

    public override void PrepareForStatusUpdate(KubeObject obj, KubeObject old)
    {
        var csr = (CertificateSigningRequest)obj;
        var before = (CertificateSigningRequest)old;
        csr.Spec = before.Spec;
        var status = csr.Status ??= new CertificateSigningRequestStatus();
        FillTransitionTimes(status.Conditions, before.Status?.Conditions);
    }

    public override void PrepareForSubresourceUpdate(string subresource, KubeObject obj, KubeObject old)
    {
        if (subresource != "approval")
        {
            base.PrepareForSubresourceUpdate(subresource, obj, old);
        }

        var csr = (CertificateSigningRequest)obj;
        var before = (CertificateSigningRequest)old;
        csr.Spec = before.Spec;
        var conditions = csr.Status?.Conditions;
        FillTransitionTimes(conditions, before.Status?.Conditions);
        // Only the conditions come from the approver; the certificate stays the signer's.
        csr.Status = new CertificateSigningRequestStatus
        {
            Conditions = conditions,
            Certificate = before.Status?.Certificate,
            UnknownFields = before.Status?.UnknownFields,
        };
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old, string? subresource) =>
        CertificateSigningRequestValidation.ValidateUpdate((CertificateSigningRequest)obj, (CertificateSigningRequest)old, subresource switch
        {
            "status" => CertificateSigningRequestValidation.UpdateKind.Status,
            "approval" => CertificateSigningRequestValidation.UpdateKind.Approval,
            _ => CertificateSigningRequestValidation.UpdateKind.Main,
        });

    protected override string? KindFieldValue(KubeObject obj, string field) => field switch
    {
        "spec.signerName" => ((CertificateSigningRequest)obj).Spec?.SignerName ?? "",
        _ => null,
    };

    /// <summary>
    /// A condition written without <c>lastTransitionTime</c> keeps the one of the same type and
    /// status it replaces, or takes its <c>lastUpdateTime</c> (Kubernetes' populateConditionTimestamps uses the clock).
    /// </summary>
    private static void FillTransitionTimes(List<CertificateSigningRequestCondition>? conditions, List<CertificateSigningRequestCondition>? old)
    {
        foreach (var condition in conditions ?? [])
        {
            if (condition.LastTransitionTime is not null)
            {
                continue;
            }

            var previous = old?.Find(c => c.Type == condition.Type && c.Status == condition.Status);
            condition.LastTransitionTime = previous?.LastTransitionTime ?? condition.LastUpdateTime;
        }
    }

    private static JsonElement ExtraJson(IReadOnlyDictionary<string, IReadOnlyList<string>> extra)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, values) in extra.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteStartArray(key);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
