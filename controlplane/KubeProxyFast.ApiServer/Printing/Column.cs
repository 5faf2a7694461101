namespace KubeProxyFast.ApiServer.Printing;

/// <summary>Column definitions that every kind shares.</summary>
internal static class Column
{
    /// <summary>The NAME column (format <c>name</c>, which kubectl uses for <c>-o name</c>).</summary>
    public static readonly TableColumnDefinition Name = new(
        "Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.",
        0);

    /// <summary>The AGE column.</summary>
    public static readonly TableColumnDefinition Age = new(
        "Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.",
        0);

    /// <summary>A string column shown by default.</summary>
    public static TableColumnDefinition Text(string name, string description) => new(name, "string", "", description, 0);

    /// <summary>An integer column shown by default.</summary>
    public static TableColumnDefinition Integer(string name, string description) => new(name, "integer", "", description, 0);

    /// <summary>A string column shown only with <c>-o wide</c>.</summary>
    public static TableColumnDefinition Wide(string name, string description) => new(name, "string", "", description, 1);
}
