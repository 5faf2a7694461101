using System.Globalization;
using System.Text;

namespace KubeProxyFast.Api.Validation;

/// <summary>The kinds of field error, with Kubernetes' wording and Status cause reasons.</summary>
public enum FieldErrorType
{
    /// <summary>"Not found".</summary>
    NotFound,
    /// <summary>"Required value".</summary>
    Required,
    /// <summary>"Duplicate value".</summary>
    Duplicate,
    /// <summary>"Invalid value".</summary>
    Invalid,
    /// <summary>"Unsupported value".</summary>
    NotSupported,
    /// <summary>"Forbidden".</summary>
    Forbidden,
    /// <summary>"Too long".</summary>
    TooLong,
    /// <summary>"Too many".</summary>
    TooMany,
    /// <summary>"Internal error".</summary>
    Internal,
}

/// <summary>
/// One validation error on one field, printed exactly as Kubernetes prints field.Error, e.g.
/// <c>spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive</c>.
/// </summary>
/// <param name="Type">What kind of error.</param>
/// <param name="Field">The field path.</param>
/// <param name="BadValue">The offending value (printed for Invalid, NotSupported, Duplicate, NotFound).</param>
/// <param name="Detail">What the value should be.</param>
public sealed record FieldError(FieldErrorType Type, string Field, object? BadValue, string Detail)
{
    /// <summary>An invalid value.</summary>
    public static FieldError Invalid(FieldPath field, object? value, string detail) =>
        new(FieldErrorType.Invalid, Path(field), value, detail);

    /// <summary>A missing value.</summary>
    public static FieldError Required(FieldPath field, string detail = "") =>
        new(FieldErrorType.Required, Path(field), null, detail);

    /// <summary>A value outside an enumeration; lists the supported values as Kubernetes does.</summary>
    public static FieldError NotSupported(FieldPath field, object? value, IReadOnlyList<string> supported)
    {
        ArgumentNullException.ThrowIfNull(supported);
        var detail = supported.Count == 0
            ? ""
            : "supported values: " + string.Join(", ", supported.Select(v => Quote(v)));
        return new(FieldErrorType.NotSupported, Path(field), value, detail);
    }

    /// <summary>A value given twice where it must be unique.</summary>
    public static FieldError Duplicate(FieldPath field, object? value) =>
        new(FieldErrorType.Duplicate, Path(field), value, "");

    /// <summary>A field that may not be set in this situation.</summary>
    public static FieldError Forbidden(FieldPath field, string detail) =>
        new(FieldErrorType.Forbidden, Path(field), null, detail);

    /// <summary>A value longer than allowed, worded as Kubernetes 1.32 words it.</summary>
    public static FieldError TooLong(FieldPath field, object? value, int maxLength) =>
        new(FieldErrorType.TooLong, Path(field), value,
            string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} bytes"));

    /// <summary>A reference to something that does not exist.</summary>
    public static FieldError NotFound(FieldPath field, object? value) =>
        new(FieldErrorType.NotFound, Path(field), value, "");

    /// <summary>The type as Kubernetes words it, e.g. <c>Invalid value</c>.</summary>
    public string TypeText => Type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        _ => "Internal error",
    };

    /// <summary>The Status cause reason, e.g. <c>FieldValueInvalid</c>.</summary>
    public string CauseReason => Type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        _ => "InternalError",
    };

    /// <summary>The message without the field: <c>Invalid value: 70000: must be …</c>.</summary>
    public string Body
    {
        get
        {
            var body = new StringBuilder(TypeText);
            // Kubernetes prints the value only for the types where the value is the point.
            if (Type is FieldErrorType.Invalid or FieldErrorType.NotSupported or FieldErrorType.Duplicate or FieldErrorType.NotFound)
            {
                body.Append(": ").Append(FormatValue(BadValue));
            }

            if (Detail.Length > 0)
            {
                body.Append(": ").Append(Detail);
            }

            return body.ToString();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Body}";

    /// <summary>Formats a value as Go's %v/%q would in these messages: strings quoted, numbers bare.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, string> map => FormatMap(map),
        IReadOnlyList<string> list => "[]string{" + string.Join(", ", list.Select(Quote)) + "}",
        _ => value.ToString() ?? "",
    };

    private static string Path(FieldPath field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.ToString();
    }

    private static string Quote(string s)
    {
        var builder = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }

    // Go's %#v of map[string]string, sorted by key as fmt sorts maps.
    private static string FormatMap(IReadOnlyDictionary<string, string> map)
    {
        var builder = new StringBuilder("map[string]string{");
        var first = true;
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append(Quote(key)).Append(':').Append(Quote(map[key]));
        }

        return builder.Append('}').ToString();
    }
}
