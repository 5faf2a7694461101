using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>
/// Why a set of objects cannot be served, worded as Kubernetes words a rejected object
/// (<c>Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: …</c>).
/// </summary>
/// <param name="ApiObject">The offending object, so that a caller can say where it came from (a file's document); null when no one object is at fault.</param>
/// <param name="Message">What is wrong, naming the object and the field.</param>
public sealed record ConfigError(KubeObject? ApiObject, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
