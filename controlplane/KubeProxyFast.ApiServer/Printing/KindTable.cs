using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Printing;

/// <summary>The columns and cells of one kind, as Kubernetes' printers.go defines them.</summary>
internal interface IKindTable
{
    /// <summary>The REST resource, e.g. <c>pods</c>.</summary>
    string Resource { get; }

    /// <summary>Every column, the wide ones (priority 1) included: the server always prints wide.</summary>
    IReadOnlyList<TableColumnDefinition> Columns { get; }

    /// <summary>One cell per column for <paramref name="obj"/>.</summary>
    /// <exception cref="ArgumentException">The object is not of this table's kind.</exception>
    IReadOnlyList<object> Cells(KubeObject obj, DateTimeOffset now);
}

/// <summary>Base of the per-kind tables: checks the object's type once.</summary>
internal abstract class KindTable<T> : IKindTable
    where T : KubeObject
{
    /// <inheritdoc />
    public abstract string Resource { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<TableColumnDefinition> Columns { get; }

    /// <inheritdoc />
    public IReadOnlyList<object> Cells(KubeObject obj, DateTimeOffset now) =>
        obj is T typed
            ? Cells(typed, now)
            : throw new ArgumentException($"{Resource} table cannot print a {obj.GetType().Name}", nameof(obj));

    /// <summary>The cells of a <typeparamref name="T"/>, in column order.</summary>
    protected abstract IReadOnlyList<object> Cells(T obj, DateTimeOffset now);
}
