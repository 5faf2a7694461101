using System.Text;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Api.Validation;

/// <summary>Validation of v1 ConfigMaps, as Kubernetes' <c>ValidateConfigMap</c> and <c>ValidateConfigMapUpdate</c>.</summary>
public static class ConfigMapValidation
{
    /// <summary>Validates a new ConfigMap: name, keys, no key in both maps, 1 MiB of values.</summary>
    public static IReadOnlyList<FieldError> Validate(ConfigMap configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(configMap.Metadata, namespaced: true, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        var data = FieldPath.Root("data");
        long total = 0;
        if (configMap.Data is { } text)
        {
            ConfigKeyValidation.ValidateKeys(text.Keys, data, errors);
            foreach (var key in text.Keys.Order(StringComparer.Ordinal))
            {
                if (configMap.BinaryData?.ContainsKey(key) == true)
                {
                    errors.Add(FieldError.Invalid(data.Key(key), key, "duplicate of key present in binaryData"));
                }
            }

            foreach (var value in text.Values)
            {
                total += Encoding.UTF8.GetByteCount(value);
            }
        }

        if (configMap.BinaryData is { } binary)
        {
            ConfigKeyValidation.ValidateKeys(binary.Keys, FieldPath.Root("binaryData"), errors);
            foreach (var value in binary.Values)
            {
                total += value.Length;
            }
        }

        if (total > ConfigKeyValidation.MaxDataBytes)
        {
            // Kubernetes names the whole object with field.NewPath(""), which prints as "[]".
            errors.Add(FieldError.TooLong(FieldPath.Root("[]"), "", ConfigKeyValidation.MaxDataBytes));
        }

        return errors;
    }

    /// <summary>Validates an update: an immutable ConfigMap keeps its data, its binary data and its <c>immutable</c>.</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(ConfigMap configMap, ConfigMap old)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        if (old.Immutable == true)
        {
            if (configMap.Immutable != true)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), ConfigKeyValidation.ImmutableMessage));
            }

            if (!ConfigKeyValidation.SameEntries(configMap.Data, old.Data, string.Equals))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("data"), ConfigKeyValidation.ImmutableMessage));
            }

            if (!ConfigKeyValidation.SameEntries(configMap.BinaryData, old.BinaryData, (a, b) => a.AsSpan().SequenceEqual(b)))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("binaryData"), ConfigKeyValidation.ImmutableMessage));
            }
        }

        errors.AddRange(Validate(configMap));
        return errors;
    }
}
