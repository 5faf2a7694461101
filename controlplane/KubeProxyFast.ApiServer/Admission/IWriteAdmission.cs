using KubeProxyFast.Api.Meta;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Admission;

/// <summary>
/// A check of a write against who asks for it (Kubernetes' validating admission, and RBAC's
/// escalation checks in its role and binding storage): run on the object about to be stored —
/// after defaults and validation, on every attempt of an update — for creates, updates and
/// patches (and their status subresources). Synchronous: it runs inside the registry's update, so it
/// reads only what is in memory.
/// </summary>
internal interface IWriteAdmission
{
    /// <summary>Refuses the write by throwing a <c>StatusException</c> (403, 422…); returns to let it through.</summary>
    void Admit(WriteAttempt attempt);
}

/// <summary>A write about to be stored.</summary>
/// <param name="User">Who asks.</param>
/// <param name="Resource">The resource written.</param>
/// <param name="Subresource">The subresource (<c>status</c>), or null for the object itself.</param>
/// <param name="Object">The object as it would be stored.</param>
/// <param name="Old">The object stored now; null on create.</param>
internal sealed record WriteAttempt(UserInfo User, ResourceDefinition Resource, string? Subresource, KubeObject Object, KubeObject? Old);
