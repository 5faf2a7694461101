using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Certificates;

/// <summary>CertificateSigningRequests over HTTPS: the requester is the caller, approval only through /approval, kubectl's verbs.</summary>
public sealed class CertificateSigningRequestApiTests : IAsyncLifetime
{
    private SecuredApiServer _server = null!;
    private KubeClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await SecuredApiServer.StartAsync();
        _admin = _server.ClientAs("admin", "system:masters");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Create_BodyNamesAnotherRequesterAndStatus_RecordsTheCallerAndNoStatus()
    {
        // The caller is in system:masters only so that it may create before RBAC is on main; the body claims another user.
        using var requester = _server.ClientAs("system:bootstrap:abcdef", "system:bootstrappers", "system:masters");
        var csr = NewCsr("forged", "system:node:n1", ["system:nodes"]);
        csr.Spec!.Username = "system:node:n1";
        csr.Spec.Uid = "forged-uid";
        csr.Spec.Groups = ["system:nodes"];
        csr.Status = new CertificateSigningRequestStatus
        {
            Conditions = [new() { Type = CsrConditionTypes.Approved, Status = "True", Reason = "Forged" }],
            Certificate = Encoding.ASCII.GetBytes(PemFiles.Encode(_server.ClientCa.Certificate)),
        };

        var created = await requester.CreateAsync(csr);

        Assert.Equal("system:bootstrap:abcdef", created.Spec!.Username);
        Assert.Null(created.Spec.Uid);
        Assert.Contains("system:bootstrappers", created.Spec.Groups!);
        Assert.DoesNotContain("system:nodes", created.Spec.Groups!);
        Assert.Empty(created.Status?.Conditions ?? []);
        Assert.Null(created.Status?.Certificate);
    }

    [Fact]
    public async Task UpdateOfObjectOrStatus_AddingApproval_IsIgnoredOrRefused()
    {
        var csr = await _admin.CreateAsync(NewCsr("approve-elsewhere", "alice", ["devs"]));
        csr.Status = new CertificateSigningRequestStatus { Conditions = [new() { Type = CsrConditionTypes.Approved, Status = "True", Reason = "Sneaky" }] };

        var updated = await _admin.UpdateAsync(csr);
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => _admin.UpdateStatusAsync(csr));

        Assert.Empty(updated.Status?.Conditions ?? []);
        Assert.Equal(422, refused.Code);
        Assert.Contains("updates may not add a condition of type", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlCertificateApprove_Admin_ApprovesAndGetPrintsIt()
    {
        await _admin.CreateAsync(NewCsr("to-approve", "alice", ["devs"]));

        var approve = _server.Kubectl(_server.AdminKubeconfigPath, "certificate", "approve", "to-approve");
        var get = _server.Kubectl(_server.AdminKubeconfigPath, "get", "csr", "to-approve");

        Assert.True(approve.ExitCode == 0, approve.Stderr);
        var csr = await _admin.GetAsync<CertificateSigningRequest>(null, "to-approve");
        var condition = Assert.Single(csr.Status!.Conditions!);
        Assert.Equal((CsrConditionTypes.Approved, "True", "KubectlApprove"), (condition.Type, condition.Status, condition.Reason));
        Assert.NotNull(condition.LastTransitionTime);
        Assert.True(get.ExitCode == 0, get.Stderr);
        Assert.Contains("SIGNERNAME", get.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"to-approve\s+\S+\s+kubernetes\.io/kube-apiserver-client\s+admin\s+<none>\s+Approved", get.Stdout);
    }

    [Fact]
    public async Task KubectlCertificateApprove_UserWithoutApprove_IsForbidden()
    {
        await _admin.CreateAsync(NewCsr("not-yours", "alice", ["devs"]));
        var alice = _server.WriteKubeconfig("alice", "devs");

        var approve = _server.Kubectl(alice, "certificate", "approve", "not-yours");

        Assert.NotEqual(0, approve.ExitCode);
        Assert.Contains("forbidden", approve.Stderr, StringComparison.OrdinalIgnoreCase);
        var csr = await _admin.GetAsync<CertificateSigningRequest>(null, "not-yours");
        Assert.Empty(csr.Status?.Conditions ?? []);
    }

    [Fact]
    public async Task ListWithSignerNameFieldSelector_ReturnsThatSignersRequests()
    {
        await _admin.CreateAsync(NewCsr("client-one", "alice", ["devs"]));
        var kubelet = NewCsr("kubelet-one", "system:node:n1", ["system:nodes"]);
        kubelet.Spec!.SignerName = SignerNames.KubeApiServerClientKubelet;
        await _admin.CreateAsync(kubelet);

        var list = await _admin.ListAsync<CertificateSigningRequest>(null, new ListOptions { FieldSelector = "spec.signerName=" + SignerNames.KubeApiServerClientKubelet });

        Assert.Equal(["kubelet-one"], list.Items.Select(c => c.Metadata.Name));
    }

    private static CertificateSigningRequest NewCsr(string name, string cn, string[] orgs)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateSigningRequest
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new CertificateSigningRequestSpec
            {
                Request = Encoding.ASCII.GetBytes(SigningRequests.Create(CertificateAuthority.Subject(cn, orgs), key)),
                SignerName = SignerNames.KubeApiServerClient,
                Usages = [KeyUsages.DigitalSignature, KeyUsages.ClientAuth],
            },
        };
    }
}
