using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 ConfigMap: configuration data for pods, as text (<see cref="Data"/>) or bytes (<see cref="BinaryData"/>).</summary>
public sealed class ConfigMap : KubeObject
{
    /// <summary>When true, <see cref="Data"/> and <see cref="BinaryData"/> can never change (only metadata can), nor can this be unset.</summary>
    public bool? Immutable { get; set; }

    /// <summary>Text values by key; a key may not also be in <see cref="BinaryData"/>.</summary>
    public Dictionary<string, string>? Data { get; set; }

    /// <summary>Byte values by key, base64 in JSON; a key may not also be in <see cref="Data"/>.</summary>
    public Dictionary<string, byte[]>? BinaryData { get; set; }
}

/// <summary>v1 ConfigMapList.</summary>
public sealed class ConfigMapList : KubeList<ConfigMap>;
