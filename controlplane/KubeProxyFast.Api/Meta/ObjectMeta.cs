namespace KubeProxyFast.Api.Meta;

/// <summary>metav1.ObjectMeta: identity, versioning, labels and ownership of an object.</summary>
public sealed class ObjectMeta : Extensible
{
    /// <summary>Unique within the namespace; a DNS-1123 subdomain for most kinds.</summary>
    public string? Name { get; set; }

    /// <summary>Prefix from which the server generates a unique name when <see cref="Name"/> is empty.</summary>
    public string? GenerateName { get; set; }

    /// <summary>The namespace of namespaced objects; empty for cluster-scoped ones.</summary>
    public string? Namespace { get; set; }

    /// <summary>Deprecated self link; kept for clients that still read it.</summary>
    public string? SelfLink { get; set; }

    /// <summary>Unique in time and space; set by the server.</summary>
    public string? Uid { get; set; }

    /// <summary>Opaque version for optimistic concurrency and watches (the store's mod revision).</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>Sequence number of the desired state (spec) that the server has accepted.</summary>
    public long? Generation { get; set; }

    /// <summary>When the object was created, set by the server.</summary>
    public DateTimeOffset? CreationTimestamp { get; set; }

    /// <summary>When a graceful deletion was requested.</summary>
    public DateTimeOffset? DeletionTimestamp { get; set; }

    /// <summary>Seconds allowed for graceful termination once deletion was requested.</summary>
    public long? DeletionGracePeriodSeconds { get; set; }

    /// <summary>Identifying labels, matched by selectors.</summary>
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Non-identifying metadata.</summary>
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Objects this one depends on; garbage-collected with the controller owner.</summary>
    public List<OwnerReference>? OwnerReferences { get; set; }

    /// <summary>Names that must be removed before the object is deleted from the store.</summary>
    public List<string>? Finalizers { get; set; }
}

/// <summary>metav1.ListMeta.</summary>
public sealed class ListMeta : Extensible
{
    /// <summary>Deprecated self link.</summary>
    public string? SelfLink { get; set; }

    /// <summary>The store revision at which the list was read; a watch may start from it.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>Token for the next page when the list was limited.</summary>
    public string? Continue { get; set; }

    /// <summary>Number of items after this page, when known.</summary>
    public long? RemainingItemCount { get; set; }
}

/// <summary>metav1.OwnerReference.</summary>
public sealed class OwnerReference : Extensible
{
    /// <summary>API version of the owner.</summary>
    public string ApiVersion { get; set; } = "";

    /// <summary>Kind of the owner.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Name of the owner.</summary>
    public string Name { get; set; } = "";

    /// <summary>UID of the owner.</summary>
    public string Uid { get; set; } = "";

    /// <summary>True when the owner is the managing controller.</summary>
    public bool? Controller { get; set; }

    /// <summary>True when the owner cannot be deleted before this object is.</summary>
    public bool? BlockOwnerDeletion { get; set; }
}
