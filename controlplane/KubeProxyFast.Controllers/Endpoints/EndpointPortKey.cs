using System.Text.Json;
using KubeProxyFast.Api.Core;

namespace KubeProxyFast.Controllers.Endpoints;

/// <summary>
/// One EndpointPort as a value (Kubernetes groups addresses by the whole EndpointPort struct:
/// name, port, protocol, appProtocol). <see cref="None"/> stands for "no port", the one subset of
/// a headless service without ports, as Kubernetes' RepackSubsets uses port -1.
/// </summary>
internal readonly record struct EndpointPortKey(string? Name, int Port, string Protocol, string? AppProtocol)
{
    private const string AppProtocolField = "appProtocol";

    /// <summary>The addresses of a headless service without ports.</summary>
    public static EndpointPortKey None { get; } = new(null, -1, "", null);

    /// <summary>The endpoint port of <paramref name="port"/> (its name, protocol and appProtocol), at the pod's <paramref name="number"/>.</summary>
    public static EndpointPortKey Of(ServicePort port, int number) =>
        new(string.IsNullOrEmpty(port.Name) ? null : port.Name, number, port.Protocol ?? Protocols.Tcp, AppProtocolOf(port));

    /// <summary>The v1 EndpointPort.</summary>
    public EndpointPort ToEndpointPort()
    {
        var port = new EndpointPort { Name = Name, Port = Port, Protocol = Protocol };
        if (AppProtocol is not null)
        {
            // appProtocol is not in our model: it travels as the unknown field it was on the service port.
            port.UnknownFields = new Dictionary<string, JsonElement> { [AppProtocolField] = JsonSerializer.SerializeToElement(AppProtocol, EndpointsJsonContext.Default.String) };
        }

        return port;
    }

    /// <summary>The key of an EndpointPort already written (to compare what is stored with what is wanted).</summary>
    public static EndpointPortKey Of(EndpointPort port) =>
        new(string.IsNullOrEmpty(port.Name) ? null : port.Name, port.Port, port.Protocol ?? Protocols.Tcp, AppProtocolOf(port.UnknownFields));

    /// <summary>A canonical order: name, port, protocol, appProtocol (ordinal).</summary>
    public static int Compare(EndpointPortKey a, EndpointPortKey b)
    {
        var c = string.CompareOrdinal(a.Name, b.Name);
        if (c == 0)
        {
            c = a.Port.CompareTo(b.Port);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Protocol, b.Protocol);
        }

        return c != 0 ? c : string.CompareOrdinal(a.AppProtocol, b.AppProtocol);
    }

    private static string? AppProtocolOf(ServicePort port) => AppProtocolOf(port.UnknownFields);

    private static string? AppProtocolOf(Dictionary<string, JsonElement>? fields) =>
        fields is not null && fields.TryGetValue(AppProtocolField, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
