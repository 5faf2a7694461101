using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.ApiServer.Registry.Encryption;

/// <summary>
/// Reads Kubernetes' <c>EncryptionConfiguration</c> file (<c>apiserver.config.k8s.io/v1</c>, YAML or
/// JSON): resources with providers <c>aesgcm</c> (keys of 16, 24 or 32 bytes), <c>aescbc</c> (16, 24
/// or 32 bytes) and <c>identity</c>; <c>secretbox</c> and <c>kms</c> are refused by name. Writes the
/// default one a server without the flag uses: a new AES-GCM key for Secrets.
/// </summary>
public static class EncryptionConfigurationFile
{
    /// <summary>The file's apiVersion.</summary>
    public const string ApiVersion = "apiserver.config.k8s.io/v1";

    /// <summary>The file's kind.</summary>
    public const string Kind = "EncryptionConfiguration";

    /// <summary>Where a server without <c>--encryption-provider-config</c> keeps its configuration, under its data directory.</summary>
    public const string DefaultFileName = "encryption-config.yaml";

    private static readonly int[] AesGcmKeySizes = [16, 24, 32];
    private static readonly int[] AesCbcKeySizes = [16, 24, 32];

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not a valid configuration; the message names the field and the problem (never a key).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static StorageEncryption Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>
    /// The configuration in <paramref name="dataDirectory"/>: read when it exists, otherwise made
    /// with a new random 32-byte AES-GCM key for Secrets (then identity, so values written before
    /// encryption still read), in a file only its owner can read (0600), written whole or not at all.
    /// </summary>
    /// <returns>The configuration, its path, and whether it was created now.</returns>
    public static (StorageEncryption Encryption, string Path, bool Created) LoadOrCreateDefault(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, DefaultFileName);
        if (File.Exists(path))
        {
            return (Load(path), path, false);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the key file is created readable by its owner only, which needs Unix file modes");
        }

        Directory.CreateDirectory(dataDirectory);
        var text = DefaultText(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var temporary = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(temporary, options))
        {
            // A temporary file left by an earlier crash keeps its old mode: set it again.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);

        // The rename is durable only once the directory is: without this a power loss could lose
        // the key while the store's own fsync'd log keeps Secrets encrypted with it.
        DirectorySync.Flush(dataDirectory);
        return (Parse(text), path, true);
    }

    /// <summary>Parses a configuration (YAML or JSON).</summary>
    /// <exception cref="FormatException">Not a valid configuration; the message names the field and the problem.</exception>
    public static StorageEncryption Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<byte[]> documents;
        try
        {
            documents = YamlDocuments.ToJson(text);
        }
        catch (KubeDecodeException e)
        {
            throw new FormatException("not YAML or JSON: " + e.Message, e);
        }

        if (documents.Count != 1)
        {
            throw new FormatException($"expected one {Kind} document, found {documents.Count}");
        }

        using var document = JsonDocument.Parse(documents[0]);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected an {Kind} object");
        }

        var apiVersion = Text(root, "apiVersion");
        var kind = Text(root, "kind");
        if (apiVersion != ApiVersion || kind != Kind)
        {
            throw new FormatException($"expected apiVersion {ApiVersion} and kind {Kind}, found apiVersion \"{apiVersion}\" and kind \"{kind}\"");
        }

        var errors = new List<FieldError>();
        var entries = new List<(string Resource, string Group, List<ValueTransformer> Transformers)>();
        var resourcesPath = FieldPath.Root("resources");
        var resources = Array(root, "resources");
        if (resources.Count == 0)
        {
            errors.Add(FieldError.Required(resourcesPath, "at least one resources is required"));
        }

        for (var i = 0; i < resources.Count; i++)
        {
            ReadEntry(resources[i], resourcesPath.Index(i), entries, errors);
        }

        if (errors.Count > 0)
        {
            throw new FormatException(string.Join("; ", errors.Select(e => e.ToString())));
        }

        return new StorageEncryption([.. entries.Select(e => (e.Resource, e.Group, new TransformerChain(e.Transformers)))]);
    }

    private static void ReadEntry(
        JsonElement entry, FieldPath path, List<(string Resource, string Group, List<ValueTransformer> Transformers)> entries, List<FieldError> errors)
    {
        var names = Array(entry, "resources");
        var providers = Array(entry, "providers");
        if (names.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("resources"), $"at least one {path.Child("resources")} is required"));
        }

        if (providers.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("providers"), $"at least one {path.Child("providers")} is required"));
        }

        var transformers = new List<ValueTransformer>();
        for (var i = 0; i < providers.Count; i++)
        {
            ReadProvider(providers[i], path.Child("providers").Index(i), transformers, errors);
        }

        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].ValueKind == JsonValueKind.String ? names[i].GetString()! : "";
            var field = path.Child("resources").Index(i);
            if (name.Length == 0 || name.Any(char.IsAsciiLetterUpper))
            {
                errors.Add(FieldError.Invalid(field, name, "resource name should not contain capital letters"));
                continue;
            }

            if (name == "*")
            {
                errors.Add(FieldError.Invalid(field, name, "use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources"));
                continue;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var (resource, group) = dot < 0 ? (name, "") : (name[..dot], name[(dot + 1)..]);
            // As Kubernetes: a resource after a wildcard that covers it would never be used, so it is refused.
            if (MaskedBy(entries, group) is { } rule)
            {
                errors.Add(FieldError.Invalid(field, name, $"resource \"{name}\" is masked by earlier rule \"{rule}\""));
                continue;
            }

            // A resource named in several entries reads and writes through all their providers, in order.
            var existing = entries.FindIndex(e => e.Resource == resource && e.Group == group);
            if (existing < 0)
            {
                entries.Add((resource, group, [.. transformers]));
            }
            else
            {
                entries[existing].Transformers.AddRange(transformers);
            }
        }
    }

    /// <summary>The earlier wildcard (<c>*.group</c>, then <c>*.*</c>) that covers a resource of <paramref name="group"/>, or null.</summary>
    private static string? MaskedBy(List<(string Resource, string Group, List<ValueTransformer> Transformers)> entries, string group)
    {
        if (entries.Exists(e => e.Resource == "*" && e.Group == group))
        {
            return "*." + group;
        }

        return entries.Exists(e => e.Resource == "*" && e.Group == "*") ? "*.*" : null;
    }

    private static void ReadProvider(JsonElement provider, FieldPath path, List<ValueTransformer> transformers, List<FieldError> errors)
    {
        var kinds = provider.ValueKind == JsonValueKind.Object ? provider.EnumerateObject().Select(p => p.Name).ToArray() : [];
        if (kinds.Length != 1)
        {
            errors.Add(FieldError.Invalid(path, kinds.Length == 0 ? "" : string.Join(",", kinds), kinds.Length == 0
                ? "provider does not contain any of the expected providers: AESGCM, AESCBC, Identity"
                : "more than one provider specified in a single element, should split into different list elements"));
            return;
        }

        var kind = kinds[0];
        var config = provider.GetProperty(kind);
        switch (kind)
        {
            case "identity":
                transformers.Add(new IdentityTransformer());
                break;
            case "aesgcm":
                ReadKeys(config, path.Child(kind), AesGcmKeySizes, (name, key) => new AesGcmTransformer(name, key), transformers, errors);
                break;
            case "aescbc":
                ReadKeys(config, path.Child(kind), AesCbcKeySizes, (name, key) => new AesCbcTransformer(name, key), transformers, errors);
                break;
            case "secretbox":
                errors.Add(FieldError.Invalid(path.Child(kind), "", "provider secretbox is not supported by this apiserver (.NET has no XSalsa20-Poly1305); use aesgcm"));
                break;
            case "kms":
                errors.Add(FieldError.Invalid(path.Child(kind), "", "provider kms is not supported by this apiserver; use aesgcm"));
                break;
            default:
                errors.Add(FieldError.Invalid(path, kind, "provider does not contain any of the expected providers: AESGCM, AESCBC, Identity"));
                break;
        }
    }

    private static void ReadKeys(
        JsonElement config, FieldPath path, int[] sizes, Func<string, byte[], ValueTransformer> make, List<ValueTransformer> transformers, List<FieldError> errors)
    {
        var keys = config.ValueKind == JsonValueKind.Object ? Array(config, "keys") : [];
        if (keys.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("keys"), "at least one keys is required"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            var field = path.Child("keys").Index(i);
            var name = keys[i].ValueKind == JsonValueKind.Object ? Text(keys[i], "name") : "";
            var secret = keys[i].ValueKind == JsonValueKind.Object ? Text(keys[i], "secret") : "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(field.Child("name"), "name is a mandatory field for a key"));
            }
            else if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(field.Child("name"), name));
            }

            if (secret.Length == 0)
            {
                errors.Add(FieldError.Required(field.Child("secret"), "secret is a mandatory field for a key"));
                continue;
            }

            byte[] key;
            try
            {
                key = Convert.FromBase64String(secret);
            }
            catch (FormatException)
            {
                // The key itself is never echoed, as Kubernetes redacts it.
                errors.Add(FieldError.Invalid(field.Child("secret"), "REDACTED", "secrets must be base64 encoded"));
                continue;
            }

            if (!sizes.Contains(key.Length))
            {
                errors.Add(FieldError.Invalid(field.Child("secret"), "REDACTED",
                    $"secret is not of the expected length, got {key.Length}, expected one of [{string.Join(' ', sizes)}]"));
                continue;
            }

            if (name.Length > 0)
            {
                transformers.Add(make(name, key));
            }
        }
    }

    private static string Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static List<JsonElement> Array(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray()]
            : [];

    private static string DefaultText(string secret) => $$"""
        # Written by kpf server on its first start: Secrets are stored encrypted with this key.
        # Keep this file with the data: without it the stored Secrets cannot be read.
        # To rotate: add a new key first under aesgcm.keys, restart, rewrite the Secrets
        # (kubectl get secrets -A -o json | kubectl replace -f -), then remove the old key.
        apiVersion: {{ApiVersion}}
        kind: {{Kind}}
        resources:
          - resources:
              - secrets
            providers:
              - aesgcm:
                  keys:
                    - name: key1
                      secret: {{secret}}
              - identity: {}

        """;
}
