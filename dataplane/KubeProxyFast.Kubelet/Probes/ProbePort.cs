using System.Globalization;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Kubelet.Probes;

/// <summary>Resolves a probe's <c>port</c> (a number, or the name of one of the container's ports).</summary>
internal static class ProbePort
{
    /// <summary>
    /// The port number, or null with <paramref name="error"/> saying why: an unknown name, or a
    /// number outside 1–65535. A string that names no port but parses as a number is taken as that
    /// number, as Kubernetes does.
    /// </summary>
    public static int? Resolve(IntOrString port, IReadOnlyList<ContainerPort>? ports, out string error)
    {
        error = "";
        int number;
        if (port.IsString)
        {
            var named = ports?.FirstOrDefault(p => string.Equals(p.Name, port.StringValue, StringComparison.Ordinal));
            if (named is not null)
            {
                number = named.Number;
            }
            else if (!int.TryParse(port.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                error = $"port \"{port.StringValue}\" is not a port of the container";
                return null;
            }
        }
        else
        {
            number = port.IntValue;
        }

        if (number is < 1 or > 65535)
        {
            error = $"invalid port number: {port}";
            return null;
        }

        return number;
    }
}
