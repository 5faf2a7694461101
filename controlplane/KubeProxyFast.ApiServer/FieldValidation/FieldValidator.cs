using KubeProxyFast.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.FieldValidation;

/// <summary>
/// Server-side field validation of a decoded body, as kube-apiserver's strict decoder: unknown
/// fields and duplicate fields are named (<c>unknown field "spec.foo"</c>, <c>duplicate field
/// "metadata.name"</c>), every one of them, and then refused (Strict) or reported as
/// <c>Warning: 299 - "…"</c> headers (Warn); unknown fields are dropped unless refused. Ignore only
/// drops: no scan of the body, one walk of the decoded object.
/// </summary>
internal static class FieldValidator
{
    /// <summary>
    /// Validates a create or update body: Strict refuses with Kubernetes' 400
    /// (<c>Pod in version "v1" cannot be handled as a Pod: strict decoding error: …</c>).
    /// </summary>
    /// <param name="http">The request, for its Warning headers.</param>
    /// <param name="directive">The request's fieldValidation.</param>
    /// <param name="json">The body as decoded (YAML already converted).</param>
    /// <param name="decoded">The object decoded from <paramref name="json"/>; its unknown fields are dropped.</param>
    /// <param name="kind">The kind the body was decoded as.</param>
    /// <param name="version">Its version, as Kubernetes' message names it.</param>
    public static void CheckBody(HttpContext http, FieldValidationDirective directive, ReadOnlySpan<byte> json, object decoded, string kind, string version)
    {
        var problems = Find(directive, json, decoded);
        if (problems is { Count: > 0 })
        {
            Report(http, directive, problems,
                () => StatusErrors.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {kind}: {StrictMessage(problems)}"));
        }
    }

    /// <summary>
    /// Duplicate fields of a patch body, before it is applied. Strict refuses them with Kubernetes'
    /// 422 on the field <c>patch</c>; otherwise the patch parser's own 400 stands (it refuses
    /// duplicates whatever the directive, see <c>PatchJson</c>), so nothing is done here.
    /// </summary>
    /// <param name="directive">The request's fieldValidation.</param>
    /// <param name="patch">The patch body.</param>
    /// <param name="jsonPatch">True for a JSON patch, whose duplicates Kubernetes prefixes with <c>json patch</c>.</param>
    /// <param name="kind">The kind patched, for the 422.</param>
    /// <param name="name">The object's name, for the 422.</param>
    public static void CheckPatch(FieldValidationDirective directive, ReadOnlySpan<byte> patch, bool jsonPatch, string kind, string? name)
    {
        if (directive != FieldValidationDirective.Strict)
        {
            return;
        }

        var duplicates = new List<string>();
        DuplicateFields.Find(patch, duplicates);
        if (duplicates.Count > 0)
        {
            var problems = duplicates.Select(f => (jsonPatch ? "json patch duplicate field \"" : "duplicate field \"") + f + "\"").ToList();
            throw StatusErrors.InvalidField(kind, name, "patch", StrictMessage(problems));
        }
    }

    /// <summary>
    /// Unknown fields of a patched object: Strict refuses them with Kubernetes' 422 on the field
    /// <c>patch</c>, Warn warns; they are dropped unless refused.
    /// </summary>
    /// <param name="http">The request, for its Warning headers.</param>
    /// <param name="directive">The request's fieldValidation.</param>
    /// <param name="patched">The patched object; its unknown fields are dropped.</param>
    /// <param name="kind">The kind patched, for the 422.</param>
    /// <param name="name">The object's name, for the 422.</param>
    public static void CheckPatched(HttpContext http, FieldValidationDirective directive, object patched, string kind, string? name)
    {
        if (directive == FieldValidationDirective.Ignore)
        {
            UnknownFields.Drop(patched, null);
            return;
        }

        var unknown = new List<string>();
        UnknownFields.Drop(patched, unknown);
        if (unknown.Count > 0)
        {
            var problems = unknown.Select(f => "unknown field \"" + f + "\"").ToList();
            Report(http, directive, problems, () => StatusErrors.InvalidField(kind, name, "patch", StrictMessage(problems)));
        }
    }

    /// <summary>Every problem of a body in document order of kind: duplicates as written, then unknown fields; null for Ignore.</summary>
    private static List<string>? Find(FieldValidationDirective directive, ReadOnlySpan<byte> json, object decoded)
    {
        if (directive == FieldValidationDirective.Ignore)
        {
            UnknownFields.Drop(decoded, null);
            return null;
        }

        var duplicates = new List<string>();
        DuplicateFields.Find(json, duplicates);
        var unknown = new List<string>();
        UnknownFields.Drop(decoded, unknown);
        var problems = new List<string>(duplicates.Count + unknown.Count);
        problems.AddRange(duplicates.Select(f => "duplicate field \"" + f + "\""));
        problems.AddRange(unknown.Select(f => "unknown field \"" + f + "\""));
        return problems;
    }

    private static void Report(HttpContext http, FieldValidationDirective directive, List<string> problems, Func<StatusException> refusal)
    {
        if (directive == FieldValidationDirective.Strict)
        {
            throw refusal();
        }

        foreach (var problem in problems)
        {
            WarningHeaders.Add(http, problem);
        }
    }

    /// <summary>apimachinery's strict decoding error: <c>strict decoding error: unknown field "a", unknown field "b"</c>.</summary>
    private static string StrictMessage(List<string> problems) => "strict decoding error: " + string.Join(", ", problems);
}
