using System.Text;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Metrics;

namespace KubeProxyFast.KubeProxy.Tests.Metrics;

public sealed class PrometheusTextTests
{
    private static readonly ConfigLoadStatus Status = new()
    {
        Time = DateTimeOffset.UnixEpoch,
        Succeeded = false,
        Message = "broken",
        Attempts = 5,
        Successes = 3,
        ServicePorts = 1,
    };

    private static string Write(IReadOnlyList<ServicePortCounters> counters, ConfigLoadStatus? status)
    {
        var text = new StringBuilder();
        PrometheusText.Write(text, counters, status);
        return text.ToString();
    }

    private static ServicePortCounters Counters(string ns, string name, string port)
    {
        // Two loops, so that the exposed values are sums over the rows.
        var counters = new ServicePortCounters(new ServicePortId(ns, name, port), loops: 2);
        counters.Add(0, Counter.ConnectionsAccepted, 3);
        counters.Add(1, Counter.ConnectionsAccepted, 4);
        counters.Add(1, Counter.ConnectionsClosed, 5);
        counters.Add(0, Counter.ConnectionsFailed, 1);
        counters.Add(0, Counter.BytesToEndpoints, 100);
        counters.Add(1, Counter.BytesToClients, 2000);
        counters.Add(1, Counter.EndpointConnectErrors, 2);
        counters.Add(0, Counter.DatagramsToEndpoints, 7);
        counters.Add(0, Counter.DatagramsToClients, 6);
        return counters;
    }

    [Fact]
    public void Write_Counters_SumsLoopsPerServicePortWithLabels()
    {
        var text = Write([Counters("default", "web", "http")], null);

        string[] expected =
        [
            "kpf_proxy_connections_accepted_total{service_port=\"default/web:http\"} 7",
            "kpf_proxy_connections_active{service_port=\"default/web:http\"} 2",
            "kpf_proxy_connections_failed_total{service_port=\"default/web:http\"} 1",
            "kpf_proxy_bytes_total{service_port=\"default/web:http\",direction=\"to_endpoints\"} 100",
            "kpf_proxy_bytes_total{service_port=\"default/web:http\",direction=\"to_clients\"} 2000",
            "kpf_proxy_endpoint_connect_errors_total{service_port=\"default/web:http\"} 2",
            "kpf_proxy_datagrams_total{service_port=\"default/web:http\",direction=\"to_endpoints\"} 7",
            "kpf_proxy_datagrams_total{service_port=\"default/web:http\",direction=\"to_clients\"} 6",
        ];
        Assert.Equal(expected, text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'));
    }

    [Fact]
    public void Write_EveryFamily_HasHelpThenTypeBeforeItsSamples()
    {
        var lines = Write([Counters("default", "web", "http")], Status).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var families = new HashSet<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = lines[i].Split(' ')[2];
                Assert.Matches($"^# TYPE {name} (counter|gauge)$", lines[i + 1]);
                Assert.True(families.Add(name), $"{name} described twice");
            }
            else if (lines[i][0] != '#')
            {
                var name = lines[i].Split('{', ' ')[0];
                Assert.Contains(name, families);
            }
        }

        Assert.Equal(8, families.Count);
        Assert.All(families.Where(f => f.EndsWith("_total", StringComparison.Ordinal)),
            f => Assert.Contains($"# TYPE {f} counter", lines));
    }

    [Fact]
    public void Write_ConfigStatus_ExposesLastResultAndTotals()
    {
        var text = Write([], Status);

        Assert.Contains("kpf_proxy_config_last_load_success 0\n", text, StringComparison.Ordinal);
        Assert.Contains("kpf_proxy_config_loads_total{result=\"success\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("kpf_proxy_config_loads_total{result=\"failure\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("kpf_proxy_config_last_load_success 1\n", Write([], Status with { Succeeded = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoConfigSource_OmitsConfigFamilies()
    {
        var text = Write([], null);

        Assert.DoesNotContain("kpf_proxy_config", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE kpf_proxy_connections_active gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LabelValueWithQuoteAndBackslash_IsEscaped()
    {
        var text = Write([new ServicePortCounters(new ServicePortId("a\"b", "c\\d", "e\nf"), 1)], null);

        Assert.Contains("{service_port=\"a\\\"b/c\\\\d:e\\nf\"} 0", text, StringComparison.Ordinal);
    }
}
