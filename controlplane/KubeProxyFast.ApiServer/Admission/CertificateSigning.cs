using KubeProxyFast.Api.Certificates;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Authorization;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Admission;

/// <summary>
/// Kubernetes' CertificateApproval and CertificateSigning admission plugins: writing
/// <c>certificatesigningrequests/approval</c> needs the verb <c>approve</c>, and changing the
/// certificate or the conditions through <c>certificatesigningrequests/status</c> needs <c>sign</c>,
/// on the resource <c>signers</c> of certificates.k8s.io named after the request's signer (or
/// <c>&lt;domain&gt;/*</c> for all of a domain's signers); 403 otherwise. Having <c>update</c> on the
/// subresource is not enough: whoever may approve for one signer must not approve for another.
/// </summary>
internal static class CertificateSigning
{
    private const string Group = "certificates.k8s.io";

    /// <summary>
    /// Decides what it can before the update: refuses an approval outright, and for a status write
    /// returns the check each attempt makes on the prepared object against the current one (null
    /// when none is needed). The signer's name is immutable, so the current object's is the one the update keeps.
    /// </summary>
    public static async ValueTask<Action<KubeObject, KubeObject>?> AdmitAsync(ApiContext context, string? subresource, ObjectRegistry registry)
    {
        if (context.Resource.Info.Type != typeof(CertificateSigningRequest) || subresource is not ("approval" or "status") || context.Authorizer is not { } authorizer)
        {
            return null;
        }

        var current = (CertificateSigningRequest)await registry.GetAsync(context.Resource, null, context.Name, context.Aborted).ConfigureAwait(false);
        var signer = current.Spec?.SignerName ?? "";
        var verb = subresource == "approval" ? "approve" : "sign";
        if (await IsAuthorizedAsync(authorizer, context, verb, signer).ConfigureAwait(false))
        {
            return null;
        }

        var refusal = StatusErrors.Forbidden(context.Resource.QualifiedName, context.Name, $"user not permitted to {verb} requests with signerName \"{signer}\"");
        if (subresource == "approval")
        {
            throw refusal;
        }

        return (obj, old) =>
        {
            var updated = ((CertificateSigningRequest)obj).Status;
            var before = ((CertificateSigningRequest)old).Status;
            if (!(updated?.Certificate ?? []).AsSpan().SequenceEqual(before?.Certificate ?? []) || !SameConditions(updated?.Conditions, before?.Conditions))
            {
                throw refusal;
            }
        };
    }

    /// <summary>Kubernetes' <c>IsAuthorizedForSignerName</c>: the signer itself, then its domain's wildcard.</summary>
    private static async ValueTask<bool> IsAuthorizedAsync(IAuthorizer authorizer, ApiContext context, string verb, string signer)
    {
        foreach (var name in new[] { signer, signer.Split('/')[0] + "/*" })
        {
            var attributes = new AuthorizationAttributes
            {
                User = context.User, Verb = verb, IsResourceRequest = true, ApiGroup = Group, ApiVersion = "*", Resource = "signers", Name = name,
            };
            var decision = await authorizer.AuthorizeAsync(attributes, context.Aborted).ConfigureAwait(false);
            if (decision.Decision == Decision.Allow)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameConditions(List<CertificateSigningRequestCondition>? a, List<CertificateSigningRequestCondition>? b)
    {
        a ??= [];
        b ??= [];
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason || x.Message != y.Message
                || x.LastUpdateTime != y.LastUpdateTime || x.LastTransitionTime != y.LastTransitionTime)
            {
                return false;
            }
        }

        return true;
    }
}
