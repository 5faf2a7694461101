using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Client;

/// <summary>
/// The apiserver answered with a non-2xx code (or a watch sent an <c>ERROR</c> event). Carries the
/// decoded <see cref="Status"/>, so callers branch on reason and code as client-go does.
/// </summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates the exception for <paramref name="status"/>.</summary>
    public KubeApiException(Status status)
        : base(Describe(status))
    {
        Status = status;
    }

    /// <summary>Creates the exception with a message of its own (prefer the Status constructor).</summary>
    public KubeApiException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message of its own and an inner exception.</summary>
    public KubeApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Status = new Status { Result = "Failure", Message = message };
    }

    /// <summary>Creates the exception with no details.</summary>
    public KubeApiException()
        : this("the apiserver returned an error")
    {
    }

    /// <summary>The Status the server sent (or one built from the HTTP code when the body was not a Status).</summary>
    public Status Status { get; }

    /// <summary>The HTTP code, 0 when unknown.</summary>
    public int Code => Status.Code ?? 0;

    /// <summary>The machine-readable reason, e.g. <c>NotFound</c>; empty when unknown.</summary>
    public string Reason => Status.Reason ?? "";

    /// <summary>404 NotFound.</summary>
    public bool IsNotFound => Is(StatusReasons.NotFound, 404);

    /// <summary>409 AlreadyExists (a create of a name that is taken).</summary>
    public bool IsAlreadyExists => Reason == StatusReasons.AlreadyExists;

    /// <summary>409 Conflict (an update with a stale resourceVersion, or a refused precondition).</summary>
    public bool IsConflict => Reason == StatusReasons.Conflict || (Code == 409 && Reason.Length == 0);

    /// <summary>410 Gone / Expired: the resourceVersion was compacted; relist.</summary>
    public bool IsGone => Code == 410 || Reason is StatusReasons.Expired or "Gone";

    /// <summary>422 Invalid; the causes are in <see cref="StatusDetails.Causes"/>.</summary>
    public bool IsInvalid => Is(StatusReasons.Invalid, 422);

    /// <summary>400 BadRequest.</summary>
    public bool IsBadRequest => Is(StatusReasons.BadRequest, 400);

    private bool Is(string reason, int code) => Reason == reason || (Reason.Length == 0 && Code == code);

    private static string Describe(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return $"{status.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {status.Reason}: {status.Message}";
    }
}
