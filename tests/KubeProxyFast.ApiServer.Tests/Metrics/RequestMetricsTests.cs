using System.Globalization;
using KubeProxyFast.Testing;

namespace KubeProxyFast.ApiServer.Tests.Metrics;

/// <summary>/metrics stays bounded whatever method names and paths clients make up.</summary>
public sealed class RequestMetricsTests
{
    [Fact]
    public async Task Metrics_RandomMethodsAndSubresources_AreOneOtherSeries()
    {
        await using var server = await TestApiServer.StartAsync();
        var random = new Random(12);
        const int Requests = 200;
        for (var i = 0; i < Requests; i++)
        {
            var method = "M" + random.Next().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1/namespaces/default/pods/p/s" + i.ToString(CultureInfo.InvariantCulture));
            using var response = await server.Http.SendAsync(request);
        }

        var metrics = await server.Http.GetStringAsync("/metrics");

        Assert.DoesNotContain("verb=\"M", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("subresource=\"s1", metrics, StringComparison.Ordinal);
        Assert.Contains(
            $"apiserver_request_total{{verb=\"other\",resource=\"pods\",subresource=\"other\",code=\"404\"}} {Requests}\n",
            metrics, StringComparison.Ordinal);
        Assert.InRange(metrics.Length, 0, 16 * 1024);
    }
}
