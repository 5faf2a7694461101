using System.Globalization;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>
/// Where strategic merge is in the object: <see cref="Schema"/> looks up merge keys
/// (<c>spec.containers[].ports</c>), <see cref="Display"/> goes into error messages
/// (<c>spec.containers[1].ports</c>).
/// </summary>
internal readonly record struct PatchLocation(string Schema, string Display)
{
    /// <summary>The object root.</summary>
    public static PatchLocation Root { get; } = new("", "");

    /// <summary>The member <paramref name="name"/> of the object here.</summary>
    public PatchLocation Field(string name) =>
        Schema.Length == 0 ? new(name, name) : new($"{Schema}.{name}", $"{Display}.{name}");

    /// <summary>Element <paramref name="index"/> of the list here.</summary>
    public PatchLocation Item(int index) =>
        new(Schema + "[]", string.Create(CultureInfo.InvariantCulture, $"{Display}[{index}]"));

    /// <summary>" (at spec.template)", or nothing at the root.</summary>
    public string Suffix => Display.Length == 0 ? "" : $" (at {Display})";
}
