using KubeProxyFast.Api.Validation;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Printing;
using KubeProxyFast.ApiServer.Registry;
using KubeProxyFast.ApiServer.Routing;
using KubeProxyFast.ApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Handlers;

/// <summary>One API request: the HTTP exchange and what its path names.</summary>
internal sealed class ApiContext
{
    public ApiContext(HttpContext http, ApiPath path, string verb, TablePrinter printer)
    {
        Http = http;
        Path = path;
        Verb = verb;
        Printer = printer;
    }

    /// <summary>The verb as kube-apiserver names it: LIST, WATCH, GET, POST, PUT, PATCH, DELETE.</summary>
    public string Verb { get; }

    /// <summary>Prints Tables for kubectl.</summary>
    public TablePrinter Printer { get; }

    /// <summary>
    /// How to print, when the client asked for a Table (kubectl get sends
    /// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io,…</c>) of a resource that has one; else null.
    /// </summary>
    public TablePrintOptions? TableRequest()
    {
        if (!TablePrinter.CanPrint(Resource.Name) || Path.Subresource is not null
            || TableAccept.RequestedVersion(Http.Request.Headers.Accept.ToString()) is not { } version)
        {
            return null;
        }

        return IncludeObjects.TryParse(Query("includeObject"), out var include)
            ? new TablePrintOptions { GroupVersion = version, IncludeObject = include }
            : throw StatusErrors.BadRequest($"includeObject={Query("includeObject")} is not one of None, Metadata, Object");
    }

    public HttpContext Http { get; }

    /// <summary>Who made the request (<see cref="UserInfo.Unsecured"/> on plain HTTP).</summary>
    public UserInfo User => RequestUser.Get(Http);

    /// <summary>The authorizer, for admission's own questions; null on a server without authentication (everything allowed).</summary>
    public Authorization.IAuthorizer? Authorizer => RequestAuthorizer.Get(Http);

    public ApiPath Path { get; }

    public ResourceDefinition Resource => Path.Resource!;

    public string? Namespace => Path.Namespace;

    public string Name => Path.Name!;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>A query parameter, or null when absent or empty.</summary>
    public string? Query(string name)
    {
        var value = Http.Request.Query[name];
        return value.Count == 0 || string.IsNullOrEmpty(value[0]) ? null : value[0];
    }

    /// <summary>True when the query has parameter <paramref name="name"/>, even empty (Kubernetes decodes such a value into a set pointer).</summary>
    public bool HasQuery(string name) => Http.Request.Query[name].Count > 0;

    /// <summary>A boolean query parameter, read as kube-apiserver reads it (<see cref="QueryValues.Bool"/>).</summary>
    public bool Flag(string name) => QueryValues.Bool(Http.Request.Query[name]);

    /// <summary>
    /// True when the write is a dry run (<c>dryRun=All</c>, as kubectl's <c>--dry-run=server</c>
    /// sends): validated, defaulted and answered as the write would be, but not stored. Any
    /// other value is refused as Kubernetes' ValidateDryRun refuses it (422 on the verb's options kind).
    /// </summary>
    public bool DryRun => _dryRun ??= ParseDryRun(Http.Request.Query["dryRun"]);

    private bool? _dryRun;

    private bool ParseDryRun(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            if (value != "All")
            {
                throw StatusErrors.Invalid(ObjectValidation.ToStatus(OptionsKind(), "",
                    [FieldError.NotSupported(FieldPath.Root("dryRun"), new GoStrings(values), ["All"])], "meta.k8s.io"));
            }
        }

        return values.Count > 0;
    }

    /// <summary>A list of strings printed as Go's %v prints a []string in a field error.</summary>
    private sealed record GoStrings(Microsoft.Extensions.Primitives.StringValues Values)
    {
        public override string ToString() => "[]string{" + string.Join(", ", Values.Select(v => "\"" + v + "\"")) + "}";
    }

    /// <summary>The options kind of this verb, as Kubernetes names it in an invalid-options Status.</summary>
    private string OptionsKind() => Http.Request.Method switch
    {
        "PUT" => "UpdateOptions",
        "PATCH" => "PatchOptions",
        "DELETE" => "DeleteOptions",
        _ => "CreateOptions",
    };

    /// <summary>An integer query parameter, or null when absent; 400 naming it when it is not one (<see cref="QueryValues.Int64"/>).</summary>
    public long? Integer(string name) => QueryValues.Int64(name, Http.Request.Query[name]);
}
