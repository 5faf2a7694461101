using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Resources;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Volume: a directory the pod's containers can mount. One source is set.</summary>
public sealed class Volume : Extensible
{
    /// <summary>DNS-1123 label, unique within the pod; what a container's volumeMount names.</summary>
    public string Name { get; set; } = "";

    /// <summary>A file or directory of the node.</summary>
    public HostPathVolumeSource? HostPath { get; set; }

    /// <summary>A directory that lives and dies with the pod.</summary>
    public EmptyDirVolumeSource? EmptyDir { get; set; }

    /// <summary>The keys of a Secret as files.</summary>
    public SecretVolumeSource? Secret { get; set; }

    /// <summary>The keys of a ConfigMap as files.</summary>
    public ConfigMapVolumeSource? ConfigMap { get; set; }
}

/// <summary>v1 EmptyDirVolumeSource.</summary>
public sealed class EmptyDirVolumeSource : Extensible
{
    /// <summary>"" (the node's disk) or <c>Memory</c> (tmpfs).</summary>
    public string? Medium { get; set; }

    /// <summary>Most the volume may hold.</summary>
    public Quantity? SizeLimit { get; set; }
}

/// <summary>v1 HostPathVolumeSource.</summary>
public sealed class HostPathVolumeSource : Extensible
{
    /// <summary>Path on the node.</summary>
    public string Path { get; set; } = "";

    /// <summary>"", <c>DirectoryOrCreate</c>, <c>Directory</c>, <c>FileOrCreate</c>, <c>File</c>, <c>Socket</c>, <c>CharDevice</c>, <c>BlockDevice</c>.</summary>
    public string? Type { get; set; }
}

/// <summary>v1 KeyToPath: one key projected to a relative path.</summary>
public sealed class KeyToPath : Extensible
{
    /// <summary>The key to project.</summary>
    public string Key { get; set; } = "";

    /// <summary>Relative path of the file.</summary>
    public string Path { get; set; } = "";

    /// <summary>File mode bits; the volume's defaultMode when absent.</summary>
    public int? Mode { get; set; }
}

/// <summary>v1 ConfigMapVolumeSource.</summary>
public sealed class ConfigMapVolumeSource : Extensible
{
    /// <summary>Name of the ConfigMap in the pod's namespace.</summary>
    public string? Name { get; set; }

    /// <summary>Keys to project; every key when absent.</summary>
    public List<KeyToPath>? Items { get; set; }

    /// <summary>Mode of the files (default 0644).</summary>
    public int? DefaultMode { get; set; }

    /// <summary>Whether a missing ConfigMap (or key) is allowed.</summary>
    public bool? Optional { get; set; }
}

/// <summary>v1 SecretVolumeSource.</summary>
public sealed class SecretVolumeSource : Extensible
{
    /// <summary>Name of the Secret in the pod's namespace.</summary>
    public string? SecretName { get; set; }

    /// <summary>Keys to project; every key when absent.</summary>
    public List<KeyToPath>? Items { get; set; }

    /// <summary>Mode of the files (default 0644).</summary>
    public int? DefaultMode { get; set; }

    /// <summary>Whether a missing Secret (or key) is allowed.</summary>
    public bool? Optional { get; set; }
}

/// <summary>v1 VolumeMount.</summary>
public sealed class VolumeMount : Extensible
{
    /// <summary>Name of the pod's volume.</summary>
    public string Name { get; set; } = "";

    /// <summary>Mounted read-only.</summary>
    public bool? ReadOnly { get; set; }

    /// <summary>Path inside the container; must not contain ':'.</summary>
    public string MountPath { get; set; } = "";

    /// <summary>Path within the volume to mount instead of its root.</summary>
    public string? SubPath { get; set; }
}

/// <summary>v1 PodDNSConfig: added to (or, with dnsPolicy None, instead of) what the policy gives.</summary>
public sealed class PodDnsConfig : Extensible
{
    /// <summary>Name server addresses.</summary>
    public List<string>? Nameservers { get; set; }

    /// <summary>Search domains.</summary>
    public List<string>? Searches { get; set; }

    /// <summary>resolv.conf options.</summary>
    public List<PodDnsConfigOption>? Options { get; set; }
}

/// <summary>v1 PodDNSConfigOption.</summary>
public sealed class PodDnsConfigOption : Extensible
{
    /// <summary>Option name, e.g. <c>ndots</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Option value, e.g. <c>2</c>.</summary>
    public string? Value { get; set; }
}
