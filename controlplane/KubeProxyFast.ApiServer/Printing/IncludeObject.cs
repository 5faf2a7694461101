namespace KubeProxyFast.ApiServer.Printing;

/// <summary>What a table row carries besides its cells: the <c>includeObject</c> query parameter.</summary>
internal enum IncludeObject
{
    /// <summary>No object.</summary>
    None,

    /// <summary>A <c>PartialObjectMetadata</c>; the default when the parameter is absent.</summary>
    Metadata,

    /// <summary>The full object (kubectl asks for it with <c>--sort-by</c>).</summary>
    Object,
}

/// <summary>Parsing of the <c>includeObject</c> query parameter.</summary>
internal static class IncludeObjects
{
    /// <summary>
    /// Reads <paramref name="value"/>; absent or empty means <see cref="IncludeObject.Metadata"/>.
    /// Returns false for any other value than <c>None</c>, <c>Metadata</c> or <c>Object</c>
    /// (case-sensitive, as Kubernetes validates it), which the apiserver answers with 400.
    /// </summary>
    public static bool TryParse(string? value, out IncludeObject include)
    {
        switch (value)
        {
            case null or "" or "Metadata":
                include = IncludeObject.Metadata;
                return true;
            case "None":
                include = IncludeObject.None;
                return true;
            case "Object":
                include = IncludeObject.Object;
                return true;
            default:
                include = IncludeObject.Metadata;
                return false;
        }
    }
}
