using System.Globalization;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Errors;

/// <summary>
/// The Status errors Kubernetes answers, with its wording (k8s.io/apimachinery/pkg/api/errors),
/// so that clients that match on reason and code behave as against a real apiserver.
/// </summary>
internal static class StatusErrors
{
    // The errors about one object name its resource qualified by the group (leases.coordination.k8s.io),
    // and carry the group in the details, as Kubernetes' errors built from a GroupResource.

    public static StatusException NotFound(string resource, string name, string group = "") =>
        Make(404, StatusReasons.NotFound, Invariant($"{Qualified(resource, group)} \"{name}\" not found"), resource, name, group);

    public static StatusException AlreadyExists(string resource, string name, string group = "") =>
        Make(409, StatusReasons.AlreadyExists, Invariant($"{Qualified(resource, group)} \"{name}\" already exists"), resource, name, group);

    public static StatusException Conflict(string resource, string name, string why, string group = "") =>
        Make(409, StatusReasons.Conflict, Invariant($"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {why}"), resource, name, group);

    public static StatusException StaleResourceVersion(string resource, string name, string group = "") =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again", group);

    public static StatusException BadRequest(string message) => Make(400, StatusReasons.BadRequest, message);

    public static StatusException Invalid(Status status) => new(status);

    public static StatusException InvalidField(string kind, string? name, string field, string message) =>
        new(new Status
        {
            Result = "Failure",
            Message = Invariant($"{kind} \"{name}\" is invalid: {field}: {message}"),
            Reason = StatusReasons.Invalid,
            Details = new StatusDetails
            {
                Name = name,
                Kind = kind,
                Causes = [new StatusCause { Reason = "FieldValueInvalid", Message = message, Field = field }],
            },
            Code = 422,
        });

    public static StatusException Expired(string message) => Make(410, StatusReasons.Expired, message);

    public static StatusException MethodNotAllowed(string method, string what) =>
        Make(405, StatusReasons.MethodNotAllowed, Invariant($"the server does not allow this method on the requested resource: {method} {what}"));

    public static StatusException PathNotFound(string path) =>
        Make(404, StatusReasons.NotFound, Invariant($"the server could not find the requested resource ({path})"));

    public static StatusException Forbidden(string resource, string name, string why, string group = "") =>
        Make(403, StatusReasons.Forbidden, Invariant($"{Qualified(resource, group)} \"{name}\" is forbidden: {why}"), resource, name, group);

    /// <summary>403 for a request refused before routing (a foreign Origin, a Host that is not loopback).</summary>
    public static StatusException ForbiddenRequest(string message) => Make(403, StatusReasons.Forbidden, message);

    /// <summary>401, as Kubernetes answers a request without valid credentials (the message says no more, on purpose).</summary>
    public static StatusException Unauthorized() => Make(401, StatusReasons.Unauthorized, "Unauthorized");

    /// <summary>
    /// 403 for a request authorization refused, worded as kube-apiserver's
    /// <c>responsewriters.Forbidden</c>: <c>pods "web" is forbidden: User "alice" cannot get resource
    /// "pods" in API group "" in the namespace "default"</c>, then <c>: reason</c> when the
    /// authorizer gave one; <c>forbidden: User "x" cannot get path "/api"</c> for a path.
    /// </summary>
    public static StatusException Forbidden(Authorization.AuthorizationAttributes attributes, string reason)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var user = attributes.User.Name;
        var why = !attributes.IsResourceRequest
            ? Invariant($"User \"{user}\" cannot {attributes.Verb} path \"{attributes.Path}\"")
            : attributes.Namespace.Length > 0
                ? Invariant($"User \"{user}\" cannot {attributes.Verb} resource \"{attributes.ResourceWithSubresource}\" in API group \"{attributes.ApiGroup}\" in the namespace \"{attributes.Namespace}\"")
                : Invariant($"User \"{user}\" cannot {attributes.Verb} resource \"{attributes.ResourceWithSubresource}\" in API group \"{attributes.ApiGroup}\" at the cluster scope");
        if (reason.Length > 0)
        {
            why += ": " + reason;
        }

        if (!attributes.IsResourceRequest || attributes.Resource.Length == 0)
        {
            return Make(403, StatusReasons.Forbidden, "forbidden: " + why);
        }

        var qualified = Qualified(attributes.Resource, attributes.ApiGroup);
        var message = attributes.Name.Length == 0 ? Invariant($"{qualified} is forbidden: {why}") : Invariant($"{qualified} \"{attributes.Name}\" is forbidden: {why}");
        return Make(403, StatusReasons.Forbidden, message, attributes.Resource, attributes.Name.Length == 0 ? null : attributes.Name, attributes.ApiGroup);
    }

    public static StatusException TooLarge(long limit) =>
        Make(413, StatusReasons.RequestEntityTooLarge, Invariant($"Request entity too large: limit is {limit}"));

    /// <summary>
    /// 413 for an object whose stored encoding would pass <paramref name="limit"/>: the same
    /// reason as an oversize body, since the client's request is what made it too large and
    /// retrying it cannot help (Kubernetes lets etcd's "request is too large" surface as a 500,
    /// kubernetes/kubernetes#112152).
    /// </summary>
    public static StatusException ObjectTooLarge(string resource, string name, long size, long limit, string group = "") =>
        Make(413, StatusReasons.RequestEntityTooLarge,
            Invariant($"Request entity too large: {Qualified(resource, group)} \"{name}\" would be stored as {size} bytes; limit is {limit}"), resource, name, group);

    /// <summary>413 for a write the store refused as too large (its limit is under the object limit).</summary>
    public static StatusException StoreRequestTooLarge(string storeMessage) =>
        Make(413, StatusReasons.RequestEntityTooLarge, "Request entity too large: the store refused the write: " + storeMessage);

    /// <summary>415 naming the media types accepted and the one given (or that none was).</summary>
    public static StatusException UnsupportedMediaType(string contentType, string accepted = "application/json, application/yaml, application/vnd.kubernetes.protobuf") =>
        Make(415, StatusReasons.UnsupportedMediaType, Invariant(
            $"the body of the request was in an unknown format - accepted media types include: {accepted}; {(contentType.Length == 0 ? "the request declared no Content-Type" : $"got \"{contentType}\"")}"));

    /// <summary>400 for a resourceVersion that is not a store revision, worded as Kubernetes' storage layer words it.</summary>
    public static StatusException InvalidResourceVersion(string field, string value) =>
        BadRequest(Invariant($"invalid resource version: {field}: Invalid value: \"{value}\": must be an unsigned integer"));

    /// <summary>
    /// 504 for a read or watch from a revision the store has not reached yet, as Kubernetes'
    /// <c>storage.NewTooLargeResourceVersionError</c>: clients (client-go's reflector) recognise
    /// the cause and retry after the given seconds.
    /// </summary>
    public static StatusException TooLargeResourceVersion(long requested, long current) =>
        new(new Status
        {
            Result = "Failure",
            Message = Invariant($"Timeout: Too large resource version: {requested}, current: {current}"),
            Reason = StatusReasons.Timeout,
            Details = new StatusDetails
            {
                RetryAfterSeconds = 1,
                Causes = [new StatusCause { Reason = "ResourceVersionTooLarge", Message = "Too large resource version" }],
            },
            Code = 504,
        });

    public static StatusException NotAcceptable(string accept) =>
        Make(406, "NotAcceptable", Invariant($"only the following media types are accepted: application/json; asked for \"{accept}\""));

    /// <summary>406 for an object with no protobuf message, worded as apimachinery's errNotMarshalable.</summary>
    public static StatusException NotProtobuf(string what) =>
        Make(406, "NotAcceptable", Invariant($"object {what} does not implement the protobuf marshalling interface and cannot be encoded to a protobuf message"));

    /// <summary>429, as kube-apiserver's max-in-flight filter answers (the caller sets the Retry-After header).</summary>
    public static StatusException TooManyRequests(int retryAfterSeconds) =>
        new(new Status
        {
            Result = "Failure",
            Message = "Too many requests, please try again later.",
            Reason = StatusReasons.TooManyRequests,
            Details = new StatusDetails { RetryAfterSeconds = retryAfterSeconds },
            Code = 429,
        });

    public static StatusException Unavailable(string message) => Make(503, StatusReasons.ServiceUnavailable, message);

    public static StatusException Internal(string message) => Make(500, StatusReasons.InternalError, "Internal error occurred: " + message);

    private static StatusException Make(int code, string reason, string message, string? kind = null, string? name = null, string group = "") =>
        new(new Status
        {
            Result = "Failure",
            Message = message,
            Reason = reason,
            Details = kind is null && name is null ? null : new StatusDetails { Name = name, Group = group.Length == 0 ? null : group, Kind = kind },
            Code = code,
        });

    private static string Qualified(string resource, string group) => group.Length == 0 ? resource : resource + "." + group;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
