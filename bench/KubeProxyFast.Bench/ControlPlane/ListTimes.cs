using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// LISTs of the pods, read to the last byte — in one response, or in pages of <c>limit</c>
/// following <c>continue</c> as kubectl does (500 a page): one warm-up, then the median of several.
/// </summary>
internal static class ListTimes
{
    /// <summary>What <c>kubectl get pods</c> asks for.</summary>
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>Times <paramref name="runs"/> lists; on an error status, returns that instead (the run goes on).</summary>
    public static async Task<Dictionary<string, object>> RunAsync(HttpClient http, string? accept, int pageLimit, int runs, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        long bytes = 0;
        var kind = "";
        var pages = 0;
        for (var run = 0; run <= runs; run++)
        {
            var t0 = Stopwatch.GetTimestamp();
            string? token = null;
            (bytes, pages) = (0, 0);
            do
            {
                var query = pageLimit == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"?limit={pageLimit}") + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
                using var request = new HttpRequestMessage(HttpMethod.Get, PodJson.PodsPath + query);
                request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept ?? "application/json"));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    return new Dictionary<string, object> { ["error"] = $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}" };
                }

                using var counter = new CountingStream();
                await response.Content.CopyToAsync(counter, cancellationToken).ConfigureAwait(false);
                bytes += counter.Length;
                kind = counter.Field("kind") ?? "?";
                token = counter.Field("continue") is { Length: > 0 } next ? next : null;
                pages++;
            }
            while (token is not null && pages < 1_000);

            if (run > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        times.Sort();
        return new Dictionary<string, object>
        {
            ["median_ms"] = times[times.Count / 2],
            ["min_ms"] = times[0],
            ["max_ms"] = times[^1],
            ["runs"] = runs,
            ["bytes"] = bytes,
            ["pages"] = pages,
            // Whether the server answered with what was asked for (a Table, or a PodList).
            ["kind"] = kind,
        };
    }
}
