using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// Pod creates with wrk as the client (C, one thread, 32 connections): the load generator costs a
/// fraction of HttpClient's CPU, so on 2 shared cores the figure says what the apiserver does, not
/// what the client leaves it. Each POST uses generateName, so every request creates a new pod.
/// A first run of the same length warms the JIT up; the second is measured.
/// </summary>
internal static partial class WrkCreates
{
    private const string Script = """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.body = '{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"p-","labels":{"app":"bench"}},"spec":{"containers":[{"name":"c","image":"nginx:1.25","ports":[{"containerPort":80}]}]}}'
        """;

    public static async Task<Dictionary<string, object>> RunAsync(ApiServerProcess apiserver, string ns, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), "kpf-bench-create.lua");
        await File.WriteAllTextAsync(script, Script, cancellationToken).ConfigureAwait(false);
        try
        {
            var url = new Uri(apiserver.Url, $"/api/v1/namespaces/{ns}/pods").ToString();
            await RunWrkAsync(script, url, connections, duration, cancellationToken).ConfigureAwait(false);
            var cpu = apiserver.CpuTime();
            var output = await RunWrkAsync(script, url, connections, duration, cancellationToken).ConfigureAwait(false);
            var used = apiserver.CpuTime() - cpu;
            var requests = long.Parse(Match(RequestsLine(), output, "requests"), CultureInfo.InvariantCulture);
            var errors = NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (errors > 0 || requests == 0)
            {
                throw new InvalidOperationException($"wrk creates: {errors} of {requests} answers were not 2xx:\n{output}");
            }

            return new Dictionary<string, object>
            {
                ["connections"] = connections,
                ["count"] = requests,
                ["per_s"] = double.Parse(Match(RateLine(), output, "Requests/sec"), CultureInfo.InvariantCulture),
                ["p50_ms"] = Milliseconds(Match(P50Line(), output, "50%")),
                ["p99_ms"] = Milliseconds(Match(P99Line(), output, "99%")),
                ["apiserver_cpu_us_per_create"] = used.TotalMicroseconds / requests,
            };
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> RunWrkAsync(string script, string url, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t1", "-c" + connections.ToString(CultureInfo.InvariantCulture), "-d" + ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s", "--latency", "-s", script, url })
        {
            start.ArgumentList.Add(a);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (scripts/install-deps.sh --bench installs it)");
        var output = await wrk.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await wrk.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return wrk.ExitCode == 0 ? output : throw new InvalidOperationException($"wrk exited {wrk.ExitCode}: {await wrk.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}");
    }

    private static string Match(Regex pattern, string output, string what) =>
        pattern.Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no \"{what}\" in wrk's output:\n{output}");

    /// <summary>wrk's latency text ("812.00us", "3.21ms", "1.02s") in milliseconds.</summary>
    private static double Milliseconds(string text)
    {
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(text[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => throw new InvalidOperationException($"unknown wrk latency unit in \"{text}\""),
        };
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"\s50%\s+([\d.]+\w+)")]
    private static partial Regex P50Line();

    [GeneratedRegex(@"\s99%\s+([\d.]+\w+)")]
    private static partial Regex P99Line();
}
