using System.Globalization;
using System.Net;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>A <c>kpf proxy --config</c> file: one Service on a loopback cluster IP and its Endpoints, one backend.</summary>
internal static class ServicesFile
{
    /// <summary>Writes the file for Service "web" at <paramref name="service"/> balanced to <paramref name="backend"/> into <paramref name="directory"/>.</summary>
    public static string Write(string directory, IPEndPoint service, IPEndPoint backend)
    {
        var path = Path.Combine(directory, "services.yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              clusterIP: {service.Address}
              ports:
              - name: http
                port: {service.Port}
            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: web
            subsets:
            - addresses:
              - ip: {backend.Address}
              ports:
              - name: http
                port: {backend.Port}

            """));
        return path;
    }
}
