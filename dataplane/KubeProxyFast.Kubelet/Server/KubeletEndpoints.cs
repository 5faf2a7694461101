using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Client.Metrics;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// What the kubelet's API serves once a request is authenticated and authorized: <c>/healthz</c>
/// (<c>ok</c>), <c>/pods</c> (a v1 PodList of the pods this kubelet runs, as it knows them) and
/// <c>/metrics</c> (the kubelet's metrics in the Prometheus text format). Any other path is 404 as
/// Go's mux answers it; another method on a known path is 405.
/// </summary>
internal sealed class KubeletEndpoints
{
    private readonly Func<IReadOnlyList<Pod>> _pods;
    private readonly MetricsRegistry _metrics;

    /// <param name="pods">The pods bound to this node, with the status the kubelet last computed for each.</param>
    /// <param name="metrics">The kubelet's metrics.</param>
    public KubeletEndpoints(Func<IReadOnlyList<Pod>> pods, MetricsRegistry metrics)
    {
        _pods = pods;
        _metrics = metrics;
    }

    /// <summary>The bucket a path is counted in (<c>kubelet_http_requests_total{path}</c>), as the kubelet's: the first segment of known paths, else <c>other</c>.</summary>
    public static string Bucket(string path) => path switch
    {
        "/healthz" => "healthz",
        "/pods" or "/pods/" => "pods",
        "/metrics" => "metrics",
        _ => "other",
    };

    public Task ServeAsync(HttpContext http)
    {
        var request = http.Request;
        var response = http.Response;
        var readOnly = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        switch (Bucket(request.Path.Value ?? ""))
        {
            case "other":
                return Text(response, StatusCodes.Status404NotFound, "404 page not found\n");
            case var _ when !readOnly:
                response.Headers.Allow = "GET, HEAD";
                return Text(response, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed\n");
            case "healthz":
                return Text(response, StatusCodes.Status200OK, "ok");
            case "metrics":
                response.ContentType = MetricsRegistry.ContentType;
                return response.WriteAsync(_metrics.Render(), http.RequestAborted);
            default:
                var list = new PodList { Kind = "PodList", ApiVersion = "v1", Items = [.. _pods()] };
                response.ContentType = "application/json";
                return response.Body.WriteAsync(KubeJson.SerializeToUtf8Bytes(list), http.RequestAborted).AsTask();
        }
    }

    /// <summary>Plain text, as the kubelet's Go handlers answer.</summary>
    internal static Task Text(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(text);
    }
}
