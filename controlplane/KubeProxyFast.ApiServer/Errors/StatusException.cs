using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Errors;

/// <summary>
/// A request failure that carries the <see cref="Status"/> answered to the client. Handlers throw
/// it; the request pipeline writes it with its code.
/// </summary>
internal sealed class StatusException : Exception
{
    public StatusException(Status status, Exception? inner = null)
        : base(status.Message, inner)
    {
        Status = status;
    }

    /// <summary>The Status body; its <see cref="Status.Code"/> is the HTTP status code.</summary>
    public Status Status { get; }

    /// <summary>The HTTP status code.</summary>
    public int Code => Status.Code ?? 500;
}
