using System.Globalization;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Api.Validation;

/// <summary>
/// Kubernetes' validation of a pod's volumes (name, exactly one source, the source's fields), of a
/// container's volumeMounts (name of an existing volume, unique non-empty mountPath, relative
/// subPath without <c>..</c>) and of the pod's <c>dnsConfig</c>, with its messages.
/// </summary>
public static class PodVolumeValidation
{
    /// <summary>Kubernetes' <c>MaxDNSNameservers</c>.</summary>
    public const int MaxDnsNameservers = 3;

    /// <summary>Kubernetes' <c>MaxDNSSearchPaths</c>.</summary>
    public const int MaxDnsSearchPaths = 32;

    /// <summary>Kubernetes' <c>MaxDNSSearchListChars</c> (the search list joined by spaces).</summary>
    public const int MaxDnsSearchListChars = 2048;

    private const string FileModeErrorMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    /// <summary>Values of hostPath <c>type</c> (Kubernetes lists them sorted).</summary>
    private static readonly string[] HostPathTypes =
        ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    /// <summary>Validates <paramref name="volumes"/> and returns their names (for the mounts' references).</summary>
    public static HashSet<string> ValidateVolumes(List<Volume>? volumes, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (volumes is null)
        {
            return names;
        }

        for (var i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            var at = path.Index(i);
            if (volume.Name.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }
            else
            {
                foreach (var message in NameValidation.IsDns1123Label(volume.Name))
                {
                    errors.Add(FieldError.Invalid(at.Child("name"), volume.Name, message));
                }

                if (!names.Add(volume.Name))
                {
                    errors.Add(FieldError.Duplicate(at.Child("name"), volume.Name));
                }
            }

            ValidateSource(volume, at, errors);
        }

        return names;
    }

    private static void ValidateSource(Volume volume, FieldPath path, List<FieldError> errors)
    {
        var count = 0;

        // Kubernetes counts the sources in VolumeSource's order and forbids every one after the first.
        void Source(string name)
        {
            if (++count > 1)
            {
                errors.Add(FieldError.Forbidden(path.Child(name), "may not specify more than 1 volume type"));
            }
        }

        if (volume.HostPath is { } hostPath)
        {
            Source("hostPath");
            if (count == 1)
            {
                ValidateHostPath(hostPath, path.Child("hostPath"), errors);
            }
        }

        if (volume.EmptyDir is { } emptyDir)
        {
            Source("emptyDir");
            if (count == 1)
            {
                ValidateEmptyDir(emptyDir, path.Child("emptyDir"), errors);
            }
        }

        if (volume.Secret is { } secret)
        {
            Source("secret");
            if (count == 1)
            {
                var at = path.Child("secret");
                if (string.IsNullOrEmpty(secret.SecretName))
                {
                    errors.Add(FieldError.Required(at.Child("secretName")));
                }

                ValidateProjection(secret.Items, secret.DefaultMode, at, errors);
            }
        }

        if (volume.ConfigMap is { } configMap)
        {
            Source("configMap");
            if (count == 1)
            {
                var at = path.Child("configMap");
                if (string.IsNullOrEmpty(configMap.Name))
                {
                    errors.Add(FieldError.Required(at.Child("name")));
                }

                ValidateProjection(configMap.Items, configMap.DefaultMode, at, errors);
            }
        }

        // The sources we do not model are kept as written in UnknownFields; they count as Kubernetes counts them.
        if (volume.UnknownFields is { } kept)
        {
            var kubernetesOnly = Protobuf.ModelMessages.KubernetesOnly(typeof(Volume));
            foreach (var name in kept.Keys.Where(kubernetesOnly.ContainsKey))
            {
                Source(name);
            }
        }

        if (count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a volume type"));
        }
    }

    private static void ValidateHostPath(HostPathVolumeSource hostPath, FieldPath path, List<FieldError> errors)
    {
        if (hostPath.Path.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("path")));
        }
        else
        {
            NoBacksteps(hostPath.Path, path.Child("path"), errors);
        }

        if (hostPath.Type is { } type && Array.IndexOf(HostPathTypes, type) < 0)
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), type, HostPathTypes));
        }
    }

    private static void ValidateEmptyDir(EmptyDirVolumeSource emptyDir, FieldPath path, List<FieldError> errors)
    {
        if (emptyDir.SizeLimit is { Sign: < 0 })
        {
            errors.Add(FieldError.Forbidden(path.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
        }

        // Kubernetes' StorageMedium values: "" (the node's default), Memory, HugePages, HugePages-<size>.
        // The kubelet refuses any other when it sets the volume up; we refuse it when the pod is written.
        var medium = emptyDir.Medium ?? "";
        if (medium is not ("" or "Memory" or "HugePages") && !medium.StartsWith("HugePages-", StringComparison.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("medium"), medium, ["", "HugePages", "Memory"]));
        }
    }

    private static void ValidateProjection(List<KeyToPath>? items, int? defaultMode, FieldPath path, List<FieldError> errors)
    {
        if (defaultMode is > 511 or < 0)
        {
            errors.Add(FieldError.Invalid(path.Child("defaultMode"), defaultMode.Value, FileModeErrorMessage));
        }

        if (items is null)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = path.Child("items").Index(i);
            if (item.Key.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("key")));
            }

            if (item.Path.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("path")));
            }

            LocalNonReservedPath(item.Path, at.Child("path"), errors);
            if (item.Mode is > 511 or < 0)
            {
                errors.Add(FieldError.Invalid(at.Child("mode"), item.Mode.Value, FileModeErrorMessage));
            }
        }
    }

    /// <summary>
    /// Validates a container's volumeMounts against the pod's volume names.
    /// </summary>
    public static void ValidateVolumeMounts(List<VolumeMount>? mounts, HashSet<string> volumes, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        if (mounts is null)
        {
            return;
        }

        var mountPoints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var at = path.Index(i);
            if (mount.Name.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("name")));
            }

            if (!volumes.Contains(mount.Name))
            {
                errors.Add(FieldError.NotFound(at.Child("name"), mount.Name));
            }

            if (mount.MountPath.Length == 0)
            {
                errors.Add(FieldError.Required(at.Child("mountPath")));
            }

            if (!mountPoints.Add(mount.MountPath))
            {
                errors.Add(FieldError.Invalid(at.Child("mountPath"), mount.MountPath, "must be unique"));
            }

            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                LocalDescendingPath(mount.SubPath, at.Child("subPath"), errors);
            }
        }
    }

    /// <summary>
    /// Kubernetes' <c>validatePodDNSConfig</c>: with dnsPolicy None a dnsConfig with a nameserver is
    /// required; at most 3 nameservers (IP addresses), 32 search domains of 2048 characters in all
    /// (each a DNS-1123 subdomain, a trailing dot allowed), options named.
    /// </summary>
    public static void ValidateDnsConfig(PodDnsConfig? config, string? dnsPolicy, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        if (dnsPolicy == DnsPolicies.None)
        {
            if (config is null)
            {
                errors.Add(FieldError.Required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return;
            }

            if (config.Nameservers is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(path.Child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"));
                return;
            }
        }

        if (config is null)
        {
            return;
        }

        var nameservers = config.Nameservers ?? [];
        if (nameservers.Count > MaxDnsNameservers)
        {
            errors.Add(FieldError.Invalid(path.Child("nameservers"), new GoStrings(nameservers),
                string.Create(CultureInfo.InvariantCulture, $"must not have more than {MaxDnsNameservers} nameservers")));
        }

        for (var i = 0; i < nameservers.Count; i++)
        {
            foreach (var message in NameValidation.IsValidIP(nameservers[i]))
            {
                errors.Add(FieldError.Invalid(path.Child("nameservers").Index(i), nameservers[i], message));
            }
        }

        var searches = config.Searches ?? [];
        if (searches.Count > MaxDnsSearchPaths)
        {
            errors.Add(FieldError.Invalid(path.Child("searches"), new GoStrings(searches),
                string.Create(CultureInfo.InvariantCulture, $"must not have more than {MaxDnsSearchPaths} search paths")));
        }

        if (string.Join(' ', searches).Length > MaxDnsSearchListChars)
        {
            errors.Add(FieldError.Invalid(path.Child("searches"), new GoStrings(searches),
                string.Create(CultureInfo.InvariantCulture, $"must not have more than {MaxDnsSearchListChars} characters (including spaces) in the search list")));
        }

        for (var i = 0; i < searches.Count; i++)
        {
            // A trailing dot (an absolute name) is fine.
            var search = searches[i].EndsWith('.') ? searches[i][..^1] : searches[i];
            foreach (var message in NameValidation.IsDns1123Subdomain(search))
            {
                errors.Add(FieldError.Invalid(path.Child("searches").Index(i), search, message));
            }
        }

        var options = config.Options ?? [];
        for (var i = 0; i < options.Count; i++)
        {
            if (string.IsNullOrEmpty(options[i].Name))
            {
                errors.Add(FieldError.Required(path.Child("options").Index(i), "must not be empty"));
            }
        }
    }

    /// <summary>Kubernetes' <c>validateLocalDescendingPath</c>: relative, no <c>..</c> element.</summary>
    private static void LocalDescendingPath(string target, FieldPath path, List<FieldError> errors)
    {
        if (target.StartsWith('/'))
        {
            errors.Add(FieldError.Invalid(path, target, "must be a relative path"));
        }

        NoBacksteps(target, path, errors);
    }

    /// <summary>Kubernetes' <c>ValidateLocalNonReservedPath</c>: a descending path not starting with <c>..</c> (the atomic writer's names).</summary>
    private static void LocalNonReservedPath(string target, FieldPath path, List<FieldError> errors)
    {
        LocalDescendingPath(target, path, errors);
        if (target.StartsWith("..", StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(path, target, "must not start with '..'"));
        }
    }

    private static void NoBacksteps(string target, FieldPath path, List<FieldError> errors)
    {
        if (target.Split('/').Contains(".."))
        {
            errors.Add(FieldError.Invalid(path, target, "must not contain '..'"));
        }
    }

    /// <summary>A list of strings printed as Go's <c>%#v</c> prints a <c>[]string</c>.</summary>
    private sealed class GoStrings(List<string> values)
    {
        public override string ToString() =>
            "[]string{" + string.Join(", ", values.Select(v => FieldError.FormatValue(v))) + "}";
    }
}
