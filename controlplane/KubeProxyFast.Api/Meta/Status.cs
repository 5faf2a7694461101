using System.Text.Json.Serialization;

namespace KubeProxyFast.Api.Meta;

/// <summary>
/// metav1.Status: the body of every error response, and the result of some deletes.
/// <see cref="Reason"/> is machine-readable (<see cref="StatusReasons"/>); <see cref="Code"/> is the HTTP code.
/// </summary>
public sealed class Status : Extensible
{
    /// <summary>Always <c>Status</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string? Kind { get; set; } = "Status";

    /// <summary>Always <c>v1</c>.</summary>
    [JsonPropertyOrder(-2)]
    public string? ApiVersion { get; set; } = "v1";

    /// <summary>List metadata (empty for errors, as Kubernetes writes it).</summary>
    [JsonPropertyOrder(-1)]
    public ListMeta Metadata { get; set; } = new();

    /// <summary>The <c>status</c> field: <c>Success</c> or <c>Failure</c>.</summary>
    [JsonPropertyName("status")]
    public string? Result { get; set; }

    /// <summary>Human-readable description.</summary>
    public string? Message { get; set; }

    /// <summary>Machine-readable reason, e.g. <c>NotFound</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Which object and fields the status is about.</summary>
    public StatusDetails? Details { get; set; }

    /// <summary>The HTTP status code.</summary>
    public int? Code { get; set; }
}

/// <summary>metav1.StatusDetails.</summary>
public sealed class StatusDetails : Extensible
{
    /// <summary>Name of the object concerned.</summary>
    public string? Name { get; set; }

    /// <summary>API group of the object concerned.</summary>
    public string? Group { get; set; }

    /// <summary>Resource (or kind) of the object concerned.</summary>
    public string? Kind { get; set; }

    /// <summary>UID of the object concerned.</summary>
    public string? Uid { get; set; }

    /// <summary>Field-level causes, e.g. one per validation error.</summary>
    public List<StatusCause>? Causes { get; set; }

    /// <summary>Seconds after which the client may retry.</summary>
    public int? RetryAfterSeconds { get; set; }
}

/// <summary>metav1.StatusCause: one reason for a failure, usually tied to a field.</summary>
public sealed class StatusCause : Extensible
{
    /// <summary>Machine-readable cause, e.g. <c>FieldValueInvalid</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Human-readable description of the cause.</summary>
    public string? Message { get; set; }

    /// <summary>The field path, e.g. <c>spec.ports[0].port</c>.</summary>
    public string? Field { get; set; }
}

/// <summary>The <c>reason</c> values of <see cref="Status"/> that this API produces.</summary>
public static class StatusReasons
{
    /// <summary>400.</summary>
    public const string BadRequest = "BadRequest";
    /// <summary>401.</summary>
    public const string Unauthorized = "Unauthorized";
    /// <summary>403.</summary>
    public const string Forbidden = "Forbidden";
    /// <summary>404.</summary>
    public const string NotFound = "NotFound";
    /// <summary>405.</summary>
    public const string MethodNotAllowed = "MethodNotAllowed";
    /// <summary>409 on create.</summary>
    public const string AlreadyExists = "AlreadyExists";
    /// <summary>409 on update with a stale resourceVersion.</summary>
    public const string Conflict = "Conflict";
    /// <summary>410: the requested resourceVersion was compacted.</summary>
    public const string Expired = "Expired";
    /// <summary>413.</summary>
    public const string RequestEntityTooLarge = "RequestEntityTooLarge";
    /// <summary>415.</summary>
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    /// <summary>422.</summary>
    public const string Invalid = "Invalid";
    /// <summary>429.</summary>
    public const string TooManyRequests = "TooManyRequests";
    /// <summary>500.</summary>
    public const string InternalError = "InternalError";
    /// <summary>503.</summary>
    public const string ServiceUnavailable = "ServiceUnavailable";
    /// <summary>504.</summary>
    public const string Timeout = "Timeout";
}
