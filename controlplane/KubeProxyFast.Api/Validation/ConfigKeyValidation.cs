namespace KubeProxyFast.Api.Validation;

/// <summary>
/// The rules ConfigMaps and Secrets share: key names (apimachinery's <c>IsConfigMapKey</c>), the
/// 1 MiB data limit, and the "immutable" comparison of their maps.
/// </summary>
public static class ConfigKeyValidation
{
    /// <summary>Kubernetes' <c>MaxSecretSize</c>, also the limit of a ConfigMap's data: 1 MiB of values.</summary>
    public const int MaxDataBytes = 1024 * 1024;

    /// <summary>Kubernetes' message when data changes under <c>immutable: true</c>.</summary>
    public const string ImmutableMessage = "field is immutable when `immutable` is set";

    private const string KeyPattern = "[-._a-zA-Z0-9]+";

    /// <summary>Whether <paramref name="key"/> may name a value: <c>[-._a-zA-Z0-9]+</c>, at most 253 characters, not <c>.</c> or <c>..</c>, nor starting with <c>..</c>.</summary>
    /// <returns>Kubernetes' messages; empty when valid.</returns>
    public static IReadOnlyList<string> IsConfigMapKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var errors = new List<string>();
        if (key.Length > 253)
        {
            errors.Add(NameValidation.MaxLenError(253));
        }

        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            errors.Add(NameValidation.RegexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", KeyPattern, "key.name", "KEY_NAME", "key-name"));
        }

        // apimachinery's hasChDirPrefix: a key is a file name in a volume, so never a parent directory.
        if (key == ".")
        {
            errors.Add("must not be '.'");
        }
        else if (key == "..")
        {
            errors.Add("must not be '..'");
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            errors.Add("must not start with '..'");
        }

        return errors;
    }

    /// <summary>Adds an error for each bad key of <paramref name="keys"/> (in key order), under <paramref name="path"/>.</summary>
    public static void ValidateKeys(IEnumerable<string> keys, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            foreach (var message in IsConfigMapKey(key))
            {
                errors.Add(FieldError.Invalid(path.Key(key), key, message));
            }
        }
    }

    /// <summary>Whether two maps hold the same entries (absent and empty are the same).</summary>
    public static bool SameEntries<T>(IReadOnlyDictionary<string, T>? a, IReadOnlyDictionary<string, T>? b, Func<T, T, bool> equal)
    {
        ArgumentNullException.ThrowIfNull(equal);
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        foreach (var (key, value) in a ?? new Dictionary<string, T>())
        {
            if (!b!.TryGetValue(key, out var other) || !equal(value, other))
            {
                return false;
            }
        }

        return true;
    }
}
