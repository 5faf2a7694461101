using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// <c>apiserver-tls [--creates N] [--concurrency C] [--latency-requests N] [--handshake-seconds S]</c>:
/// one secured apiserver (in process, embedded store) serving HTTPS with client certificates and
/// RBAC, and its plain-HTTP loopback listener. Measures, back to back on that one server: pod
/// creates/s over plain HTTP (system:unsecured) and over HTTPS as a client-certificate user that is
/// not in system:masters but bound to a ClusterRole (so RBAC judges every request); sequential GET
/// latency on both (the added p50/p99 is HTTPS + authentication + authorization); TLS handshakes/s
/// of new clients (a new connection with a client certificate per request). Prints JSON.
/// </summary>
internal static class TlsMacroBenchmark
{
    private const string User = "bench-user";

    public static async Task<int> RunAsync(string[] args)
    {
        var creates = Args.Int(args, "--creates", 5000);
        var concurrency = Args.Int(args, "--concurrency", 32);
        var latencyRequests = Args.Int(args, "--latency-requests", 3000);
        var handshakeSeconds = Args.Int(args, "--handshake-seconds", 10);
        var dataDirectory = Directory.CreateTempSubdirectory("kpf-bench-tls-").FullName;
        try
        {
            await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = dataDirectory });
            await using var server = await SecuredApiServer.StartAsync(store, configure: s => s with { InsecurePort = 0 }).ConfigureAwait(false);
            using var plain = new HttpClient { BaseAddress = server.Host.InsecureUrl, Timeout = TimeSpan.FromSeconds(60) };
            var secure = server.HttpAs(User);
            await BindAsync(plain).ConfigureAwait(false);

            var result = new Dictionary<string, object>
            {
                ["nproc"] = Environment.ProcessorCount,
                ["creates"] = creates,
                ["concurrency"] = concurrency,
            };
            foreach (var ns in new[] { "warm-plain", "warm-tls", "plain", "tls" })
            {
                await Ok(plain.PostAsync("/api/v1/namespaces", PodJson.Namespace(ns))).ConfigureAwait(false);
            }

            // RBAC reads its in-memory copy of the bindings, fed by a watch: the new binding counts a moment later.
            await WaitAllowedAsync(secure).ConfigureAwait(false);

            // Warm-up: JIT, connection pools.
            await PodCreates.RunAsync(plain, PodJson.PodsIn("warm-plain"), concurrency, 500, CancellationToken.None).ConfigureAwait(false);
            await PodCreates.RunAsync(secure, PodJson.PodsIn("warm-tls"), concurrency, 500, CancellationToken.None).ConfigureAwait(false);
            result["plain_creates"] = await PodCreates.RunAsync(plain, PodJson.PodsIn("plain"), concurrency, creates, CancellationToken.None).ConfigureAwait(false);
            result["tls_creates"] = await PodCreates.RunAsync(secure, PodJson.PodsIn("tls"), concurrency, creates, CancellationToken.None).ConfigureAwait(false);
            result["plain_get"] = await SequentialGetsAsync(plain, latencyRequests).ConfigureAwait(false);
            result["tls_get"] = await SequentialGetsAsync(secure, latencyRequests).ConfigureAwait(false);
            result["handshakes"] = await HandshakesAsync(server, handshakeSeconds, concurrency: Environment.ProcessorCount * 2).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result)).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    // A ClusterRole that may create and read pods, bound to the benchmark's user (not system:masters).
    private static async Task BindAsync(HttpClient admin)
    {
        await Ok(admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", Json(
            "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"bench-pods\"}," +
            "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"create\",\"get\",\"list\"]}]}"))).ConfigureAwait(false);
        await Ok(admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Json(
            "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"bench-pods\"}," +
            "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"bench-pods\"}," +
            "\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"" + User + "\"}]}"))).ConfigureAwait(false);
    }

    private static async Task WaitAllowedAsync(HttpClient user)
    {
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (true)
        {
            using var response = await user.GetAsync("/api/v1/namespaces/warm-tls/pods").ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"{User} is still not allowed to list pods 30 s after its binding: {(int)response.StatusCode}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static async Task<Dictionary<string, object>> SequentialGetsAsync(HttpClient http, int count)
    {
        var latencies = new long[count];
        for (var i = 0; i < count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/namespaces/plain/pods/p-{i % 100}")).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            latencies[i] = Stopwatch.GetTimestamp() - t0;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET answered {(int)response.StatusCode}");
            }
        }

        return Stats.Summary(latencies);
    }

    // Each request from a new client: a new connection, a full TLS handshake with a client
    // certificate, authentication and an authorized GET.
    private static async Task<Dictionary<string, object>> HandshakesAsync(SecuredApiServer server, int seconds, int concurrency)
    {
        var credentials = server.CredentialsOf(User);
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var done = 0;
        var latencies = new List<long>();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            List<long> mine = [];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var http = new HttpClient(credentials.CreateHandler()) { BaseAddress = server.Url };
                using var response = await http.GetAsync("/api/v1/namespaces/plain/pods/p-0").ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"GET from a new client answered {(int)response.StatusCode}");
                }

                mine.Add(Stopwatch.GetTimestamp() - t0);
                Interlocked.Increment(ref done);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        })).ConfigureAwait(false);
        var summary = Stats.Summary([.. latencies]);
        summary["per_s"] = done / Stopwatch.GetElapsedTime(started).TotalSeconds;
        summary["concurrency"] = concurrency;
        return summary;
    }

    private static async Task Ok(Task<HttpResponseMessage> send)
    {
        using var response = await send.ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
