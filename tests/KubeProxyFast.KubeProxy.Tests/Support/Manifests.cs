using System.Globalization;
using System.Net;
using System.Text;

namespace KubeProxyFast.KubeProxy.Tests.Support;

/// <summary>YAML documents of the kind a user writes in a services file.</summary>
internal static class Manifests
{
    public static string Service(string name, IPAddress clusterIP, int port, string portName = "http") =>
        string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
            spec:
              clusterIP: {clusterIP}
              ports:
              - name: {portName}
                port: {port}
            """);

    /// <summary>Endpoints with one subset per endpoint, as backends on 127.0.0.1 differ by port.</summary>
    public static string Endpoints(string name, string portName, params IPEndPoint[] endpoints)
    {
        var yaml = new StringBuilder($"""
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: {name}
            subsets:
            """).Append('\n');
        foreach (var endpoint in endpoints)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                - addresses:
                  - ip: {endpoint.Address}
                  ports:
                  - name: {portName}
                    port: {endpoint.Port}
                """).Append('\n');
        }

        return yaml.ToString();
    }

    public static string Documents(params string[] documents) => string.Join("\n---\n", documents) + "\n";
}
