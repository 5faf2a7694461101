using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.Api.Tests.Validation;

public sealed class CertificateSigningRequestValidationTests
{
    [Fact]
    public void Validate_SignedRequestQualifiedSignerKnownUsages_HasNoErrors()
    {
        Assert.Empty(CertificateSigningRequestValidation.Validate(Csr()));
    }

    [Fact]
    public void Validate_NotACertificateRequestPem_ReportsRequest()
    {
        var csr = Csr();
        csr.Spec!.Request = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var error = Assert.Single(CertificateSigningRequestValidation.Validate(csr));

        Assert.Equal("spec.request", error.Field.ToString());
        Assert.Contains("PEM block type must be CERTIFICATE REQUEST", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SignatureDoesNotVerify_ReportsRequest()
    {
        var csr = Csr();
        var pem = Encoding.ASCII.GetString(csr.Spec!.Request!);
        var der = Convert.FromBase64String(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Aggregate("", (a, l) => a + l));
        // The last byte belongs to the signature: a flipped bit keeps the DER readable and breaks the proof of possession.
        der[^1] ^= 0x01;
        csr.Spec.Request = Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE REQUEST", der));

        var error = Assert.Single(CertificateSigningRequestValidation.Validate(csr));

        Assert.Equal("spec.request", error.Field.ToString());
    }

    [Theory]
    [InlineData(null, "spec.signerName: Required value")]
    [InlineData("kube-apiserver-client", "must be a fully qualified domain and path of the form 'example.com/signer-name'")]
    [InlineData("example/signer", "should be a domain with at least two segments separated by dots")]
    [InlineData("kubernetes.io/legacy-unknown", "the legacy signerName is not allowed via this API version")]
    public void Validate_BadSignerName_Reported(string? signer, string expected)
    {
        var csr = Csr();
        csr.Spec!.SignerName = signer;

        Assert.Contains(CertificateSigningRequestValidation.Validate(csr), e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownDuplicateOrNoUsages_Reported()
    {
        var unknown = Csr();
        unknown.Spec!.Usages = ["client auth", "flying", "client auth"];
        var none = Csr();
        none.Spec!.Usages = [];

        var errors = CertificateSigningRequestValidation.Validate(unknown).Select(e => e.ToString()).ToArray();

        Assert.Contains(errors, e => e.StartsWith("spec.usages[1]: Unsupported value: \"flying\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.usages[2]: Duplicate value: \"client auth\"", StringComparison.Ordinal));
        Assert.Equal("spec.usages: Required value", Assert.Single(CertificateSigningRequestValidation.Validate(none)).ToString());
    }

    [Fact]
    public void Validate_ExpirationUnderTenMinutes_Reported()
    {
        var csr = Csr();
        csr.Spec!.ExpirationSeconds = 599;

        Assert.Equal("spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)",
            Assert.Single(CertificateSigningRequestValidation.Validate(csr)).ToString());
    }

    [Fact]
    public void Validate_ApprovedAndDeniedOrFalseApproval_Reported()
    {
        var csr = Csr();
        csr.Status = new CertificateSigningRequestStatus
        {
            Conditions = [Condition(CsrConditionTypes.Approved), Condition(CsrConditionTypes.Denied), new() { Type = CsrConditionTypes.Failed, Status = "False" }],
        };

        var errors = CertificateSigningRequestValidation.Validate(csr).Select(e => e.ToString()).ToArray();

        Assert.Contains(errors, e => e.Contains("Approved and Denied conditions are mutually exclusive", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("status.conditions[2].status: Unsupported value: \"False\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CertificateSigningRequestValidation.UpdateKind.Main, true)]
    [InlineData(CertificateSigningRequestValidation.UpdateKind.Status, true)]
    [InlineData(CertificateSigningRequestValidation.UpdateKind.Approval, false)]
    public void ValidateUpdate_AddingApproval_OnlyThroughApproval(CertificateSigningRequestValidation.UpdateKind kind, bool refused)
    {
        var old = Csr();
        var updated = Csr(old);
        updated.Status = new CertificateSigningRequestStatus { Conditions = [Condition(CsrConditionTypes.Approved)] };

        var errors = CertificateSigningRequestValidation.ValidateUpdate(updated, old, kind);

        Assert.Equal(refused, errors.Any(e => e.ToString().Contains("updates may not add a condition of type \"Approved\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ValidateUpdate_CertificateSetOutsideStatusOrReplaced_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=issuer", key, HashAlgorithmName.SHA256);
        using var first = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var second = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(2));
        var old = Csr();
        var issued = Csr(old);
        issued.Status = new CertificateSigningRequestStatus { Certificate = Encoding.ASCII.GetBytes(first.ExportCertificatePem()) };
        var replaced = Csr(old);
        replaced.Status = new CertificateSigningRequestStatus { Certificate = Encoding.ASCII.GetBytes(second.ExportCertificatePem()) };

        Assert.Empty(CertificateSigningRequestValidation.ValidateUpdate(issued, old, CertificateSigningRequestValidation.UpdateKind.Status));
        Assert.Contains(CertificateSigningRequestValidation.ValidateUpdate(issued, old, CertificateSigningRequestValidation.UpdateKind.Approval),
            e => e.ToString() == "status.certificate: Forbidden: updates may not set certificate content");
        Assert.Contains(CertificateSigningRequestValidation.ValidateUpdate(replaced, issued, CertificateSigningRequestValidation.UpdateKind.Status),
            e => e.ToString() == "status.certificate: Forbidden: updates may not modify existing certificate content");
    }

    [Fact]
    public void ValidateUpdate_RemovingDenial_Refused()
    {
        var old = Csr();
        old.Status = new CertificateSigningRequestStatus { Conditions = [Condition(CsrConditionTypes.Denied)] };
        var updated = Csr(old);

        Assert.Contains(CertificateSigningRequestValidation.ValidateUpdate(updated, old, CertificateSigningRequestValidation.UpdateKind.Approval),
            e => e.ToString() == "status.conditions: Forbidden: updates may not remove a condition of type \"Denied\"");
    }

    private static CertificateSigningRequestCondition Condition(string type) => new() { Type = type, Status = "True", Reason = "Test" };

    /// <summary>A valid request, or a copy of <paramref name="of"/>'s metadata and spec without its status.</summary>
    private static CertificateSigningRequest Csr(CertificateSigningRequest? of = null)
    {
        if (of is not null)
        {
            return new CertificateSigningRequest { Metadata = new ObjectMeta { Name = of.Metadata.Name, ResourceVersion = "1" }, Spec = of.Spec };
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=system:node:n1, O=system:nodes", key, HashAlgorithmName.SHA256);
        return new CertificateSigningRequest
        {
            Metadata = new ObjectMeta { Name = "csr-1" },
            Spec = new CertificateSigningRequestSpec
            {
                Request = Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()),
                SignerName = SignerNames.KubeApiServerClientKubelet,
                Usages = [KeyUsages.DigitalSignature, KeyUsages.ClientAuth],
            },
        };
    }
}
