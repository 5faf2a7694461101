namespace KubeProxyFast.Client.Informers;

/// <summary>What a handler is told, in order; a batch (a relist's difference, a resync) is one buffer slot.</summary>
internal readonly record struct Notification(NotificationKind Kind, CachedObject? Old, CachedObject? New, Notification[]? Batch = null)
{
    public static Notification Added(CachedObject obj) => new(NotificationKind.Add, null, obj);

    public static Notification Updated(CachedObject old, CachedObject obj) => new(NotificationKind.Update, old, obj);

    /// <summary>A delete, with the object's last state.</summary>
    public static Notification Deleted(CachedObject last) => new(NotificationKind.Delete, last, null);

    public static Notification Of(Notification[] batch) => new(NotificationKind.Batch, null, null, batch);
}

internal enum NotificationKind
{
    Add,
    Update,
    Delete,
    Batch,
}
