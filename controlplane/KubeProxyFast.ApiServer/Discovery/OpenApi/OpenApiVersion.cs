namespace KubeProxyFast.ApiServer.Discovery.OpenApi;

/// <summary>The two OpenAPI documents kubectl reads: where references point, and how some schemas are written.</summary>
internal enum OpenApiVersion
{
    /// <summary>Swagger 2.0, <c>/openapi/v2</c>: <c>#/definitions/…</c>.</summary>
    V2,

    /// <summary>OpenAPI 3.0, <c>/openapi/v3/…</c>: <c>#/components/schemas/…</c>, references wrapped in <c>allOf</c>.</summary>
    V3,
}
