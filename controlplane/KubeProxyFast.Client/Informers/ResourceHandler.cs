namespace KubeProxyFast.Client.Informers;

/// <summary>
/// What a handler of a <see cref="SharedInformer{T}"/> is called with (client-go's
/// <c>ResourceEventHandlerFuncs</c>); leave out what it does not need. Each call gets objects of
/// its own: the handler may keep or change them. Calls come one at a time in event order, on the
/// handler's own dispatcher, never under the informer's lock (a handler may read the lister).
/// </summary>
public sealed record ResourceHandler<T>
{
    /// <summary>An object appeared (in the initial list, a relist or as ADDED).</summary>
    public Action<T>? OnAdd { get; init; }

    /// <summary>(old, new) for a changed object; on a resync, old and new are the same instance.</summary>
    public Action<T, T>? OnUpdate { get; init; }

    /// <summary>The last known state of an object that is gone (from the watch or a relist).</summary>
    public Action<T>? OnDelete { get; init; }
}
