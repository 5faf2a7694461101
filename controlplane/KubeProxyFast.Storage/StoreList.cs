namespace KubeProxyFast.Storage;

/// <summary>What a list asks for beyond its prefix.</summary>
public sealed record StoreListOptions
{
    /// <summary>At most this many items; 0 for all.</summary>
    public int Limit { get; init; }

    /// <summary>Start strictly after this key (a continue token's position); null to start at the prefix.</summary>
    public string? StartAfter { get; init; }

    /// <summary>Read at this revision (a continued list reads where its first page did); 0 for the current one.</summary>
    public long Revision { get; init; }
}

/// <summary>The result of a list.</summary>
/// <param name="Items">The values, in key order.</param>
/// <param name="Revision">The store revision the list was read at.</param>
/// <param name="Remaining">How many more keys match after the last item (0 when the list is complete).</param>
public sealed record StoreList(IReadOnlyList<StoreValue> Items, long Revision, long Remaining);
