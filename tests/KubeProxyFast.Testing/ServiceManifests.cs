using System.Globalization;
using System.Net;

namespace KubeProxyFast.Testing;

/// <summary>Kubernetes manifests of the Services the proxy tests program, as YAML.</summary>
public static class ServiceManifests
{
    /// <summary>
    /// Service "web" (default namespace) on <paramref name="service"/>, port "http", and its
    /// Endpoints with the one backend <paramref name="backend"/>: two YAML documents, for
    /// <c>kubectl apply -f</c> or <c>kpf proxy --config</c>.
    /// </summary>
    public static string Web(IPEndPoint service, IPEndPoint backend) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          clusterIP: {service.Address}
          ports:
          - name: http
            port: {service.Port}
            targetPort: {backend.Port}
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

        """);
}
