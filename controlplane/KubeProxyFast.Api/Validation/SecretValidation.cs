using System.Text.Json;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Api.Validation;

/// <summary>
/// Validation of v1 Secrets, as Kubernetes' <c>ValidateSecret</c> and <c>ValidateSecretUpdate</c>:
/// keys, 1 MiB of data, the keys each type requires, and what an update may not change. It runs
/// after <c>stringData</c> was merged into <c>data</c>. Messages never quote a value: a bad one is
/// <c>&lt;secret contents redacted&gt;</c>, as Kubernetes writes it.
/// </summary>
/// <remarks>
/// <c>bootstrap.kubernetes.io/token</c> has no apiserver rules in Kubernetes (its token id and
/// secret are checked by the authenticator that reads them), and none here.
/// </remarks>
public static class SecretValidation
{
    /// <summary>What an error shows instead of a Secret's value.</summary>
    public const string Redacted = "<secret contents redacted>";

    /// <summary>Validates a Secret of any type.</summary>
    public static IReadOnlyList<FieldError> Validate(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(secret.Metadata, namespaced: true, NameValidation.IsDns1123Subdomain, FieldPath.Root("metadata"), errors);
        var dataPath = FieldPath.Root("data");
        var data = secret.Data ?? [];
        ConfigKeyValidation.ValidateKeys(data.Keys, dataPath, errors);
        long total = 0;
        foreach (var value in data.Values)
        {
            total += value.Length;
        }

        if (total > ConfigKeyValidation.MaxDataBytes)
        {
            errors.Add(FieldError.TooLong(dataPath, "", ConfigKeyValidation.MaxDataBytes));
        }

        ValidateType(secret, data, dataPath, errors);
        return errors;
    }

    /// <summary>Validates an update: the type is fixed; an immutable Secret keeps its data and its <c>immutable</c>.</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(Secret secret, Secret old)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        if (secret.Type != old.Type)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("type"), secret.Type ?? "", "field is immutable"));
        }

        if (old.Immutable == true)
        {
            if (secret.Immutable != true)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), ConfigKeyValidation.ImmutableMessage));
            }

            if (!ConfigKeyValidation.SameEntries(secret.Data, old.Data, (a, b) => a.AsSpan().SequenceEqual(b)))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("data"), ConfigKeyValidation.ImmutableMessage));
            }
        }

        errors.AddRange(Validate(secret));
        return errors;
    }

    private static void ValidateType(Secret secret, Dictionary<string, byte[]> data, FieldPath dataPath, List<FieldError> errors)
    {
        switch (secret.Type)
        {
            case SecretTypes.ServiceAccountToken:
                // The uid annotation and the token may come later, from the token controller.
                if (secret.Metadata.Annotations?.GetValueOrDefault(SecretTypes.ServiceAccountNameKey) is not { Length: > 0 })
                {
                    errors.Add(FieldError.Required(FieldPath.Root("metadata").Child("annotations").Key(SecretTypes.ServiceAccountNameKey)));
                }

                break;
            case SecretTypes.Dockercfg:
                RequireJsonObject(data, SecretTypes.DockerConfigKey, dataPath, errors);
                break;
            case SecretTypes.DockerConfigJson:
                RequireJsonObject(data, SecretTypes.DockerConfigJsonKey, dataPath, errors);
                break;
            case SecretTypes.BasicAuth:
                // Either may be empty, but one must be there.
                if (!data.ContainsKey(SecretTypes.BasicAuthUsernameKey) && !data.ContainsKey(SecretTypes.BasicAuthPasswordKey))
                {
                    errors.Add(FieldError.Required(dataPath.Key(SecretTypes.BasicAuthUsernameKey)));
                    errors.Add(FieldError.Required(dataPath.Key(SecretTypes.BasicAuthPasswordKey)));
                }

                break;
            case SecretTypes.SshAuth:
                if (data.GetValueOrDefault(SecretTypes.SshAuthPrivateKey) is not { Length: > 0 })
                {
                    errors.Add(FieldError.Required(dataPath.Key(SecretTypes.SshAuthPrivateKey)));
                }

                break;
            case SecretTypes.Tls:
                if (!data.ContainsKey(SecretTypes.TlsCertKey))
                {
                    errors.Add(FieldError.Required(dataPath.Key(SecretTypes.TlsCertKey)));
                }

                if (!data.ContainsKey(SecretTypes.TlsPrivateKeyKey))
                {
                    errors.Add(FieldError.Required(dataPath.Key(SecretTypes.TlsPrivateKeyKey)));
                }

                break;
        }
    }

    private static void RequireJsonObject(Dictionary<string, byte[]> data, string key, FieldPath dataPath, List<FieldError> errors)
    {
        if (!data.TryGetValue(key, out var bytes))
        {
            errors.Add(FieldError.Required(dataPath.Key(key)));
            return;
        }

        if (GoJsonObjectError(bytes) is { } problem)
        {
            errors.Add(FieldError.Invalid(dataPath.Key(key), Redacted, problem));
        }
    }

    /// <summary>
    /// Why <paramref name="bytes"/> would not unmarshal into a Go <c>map[string]interface{}</c>,
    /// in the words of Go's encoding/json, or null when it would (an object, or <c>null</c>).
    /// </summary>
    private static string? GoJsonObjectError(byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            var at = Offset(bytes, e);
            return at >= bytes.Length
                ? "unexpected end of JSON input"
                : $"invalid character '{(char)bytes[at]}' looking for beginning of value";
        }

        using (document)
        {
            var kind = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object or JsonValueKind.Null => null,
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                _ => "bool",
            };
            return kind is null ? null : $"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}";
        }
    }

    /// <summary>The byte offset of a reader error, from its line and position in the line.</summary>
    private static int Offset(byte[] bytes, JsonException e)
    {
        var line = e.LineNumber ?? 0;
        var at = 0;
        for (; at < bytes.Length && line > 0; at++)
        {
            if (bytes[at] == (byte)'\n')
            {
                line--;
            }
        }

        return (int)Math.Min(bytes.Length, at + (e.BytePositionInLine ?? 0));
    }
}
