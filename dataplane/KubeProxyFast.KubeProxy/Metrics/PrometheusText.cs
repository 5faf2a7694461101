using System.Globalization;
using System.Text;
using KubeProxyFast.Dataplane.Metrics;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.KubeProxy.Config;

namespace KubeProxyFast.KubeProxy.Metrics;

/// <summary>
/// The proxy's metrics in the Prometheus text exposition format (version 0.0.4): per family a
/// <c># HELP</c> and a <c># TYPE</c> line, then one sample per service port, labelled
/// <c>service_port="ns/name:port"</c> as kube-proxy names service ports in its own logs.
/// </summary>
public static class PrometheusText
{
    /// <summary>The Content-Type Prometheus expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Writes every family; the config families only when <paramref name="config"/> is given.</summary>
    /// <param name="output">Where the text goes.</param>
    /// <param name="counters">The counters of the service ports served (read without locks; see <see cref="ServicePortCounters"/>).</param>
    /// <param name="config">The config source's latest status, or null when there is no config source or nothing was loaded yet.</param>
    /// <param name="netfilter">The netfilter loop (userspace and kernel mode), or null.</param>
    public static void Write(StringBuilder output, IReadOnlyList<ServicePortCounters> counters, ConfigLoadStatus? config, NetfilterSyncLoop? netfilter = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(counters);
        PerPort(output, counters, "kpf_proxy_connections_accepted_total", "counter",
            "Client connections (TCP) or sessions (UDP) accepted, per service port.", Counter.ConnectionsAccepted);
        Family(output, "kpf_proxy_connections_active", "gauge", "Client connections (TCP) or sessions (UDP) open now, per service port.");
        foreach (var c in counters)
        {
            Sample(output, "kpf_proxy_connections_active", c, null, c.Active);
        }

        PerPort(output, counters, "kpf_proxy_connections_failed_total", "counter",
            "Client connections refused or failed: no endpoints, or no endpoint reachable.", Counter.ConnectionsFailed);
        PerDirection(output, counters, "kpf_proxy_bytes_total",
            "Bytes relayed, per service port and direction.", Counter.BytesToEndpoints, Counter.BytesToClients);
        PerPort(output, counters, "kpf_proxy_endpoint_connect_errors_total", "counter",
            "Failed connects to an endpoint; every retry on another endpoint counts.", Counter.EndpointConnectErrors);
        PerDirection(output, counters, "kpf_proxy_datagrams_total",
            "UDP datagrams relayed, per service port and direction.", Counter.DatagramsToEndpoints, Counter.DatagramsToClients);
        if (config is not null)
        {
            Family(output, "kpf_proxy_config_last_load_success", "gauge",
                "1 when the latest load of the config file was applied, 0 when it was rejected (the configuration from before serves).");
            output.Append("kpf_proxy_config_last_load_success ").Append(config.Succeeded ? '1' : '0').Append('\n');
            Family(output, "kpf_proxy_config_loads_total", "counter", "Loads of the config file, by result.");
            output.Append(CultureInfo.InvariantCulture, $"kpf_proxy_config_loads_total{{result=\"success\"}} {config.Successes}\n");
            output.Append(CultureInfo.InvariantCulture, $"kpf_proxy_config_loads_total{{result=\"failure\"}} {config.Failures}\n");
        }

        if (netfilter is not null)
        {
            Family(output, "kpf_netfilter_syncs_total", "counter", "Netfilter syncs, by result (a failure leaves the rules from before in force).");
            output.Append(CultureInfo.InvariantCulture, $"kpf_netfilter_syncs_total{{result=\"success\"}} {netfilter.Syncs}\n");
            output.Append(CultureInfo.InvariantCulture, $"kpf_netfilter_syncs_total{{result=\"failure\"}} {netfilter.Failures}\n");
            if (netfilter.LastSync is { } last)
            {
                Family(output, "kpf_netfilter_last_sync_seconds", "gauge", "Duration of the last successful sync, rendering to the kernel's answer.");
                output.Append(CultureInfo.InvariantCulture, $"kpf_netfilter_last_sync_seconds {last.Elapsed.TotalSeconds:0.######}\n");
            }
        }
    }

    private static void PerPort(
        StringBuilder output, IReadOnlyList<ServicePortCounters> counters, string name, string type, string help, Counter counter)
    {
        Family(output, name, type, help);
        foreach (var c in counters)
        {
            Sample(output, name, c, null, c.Read(counter));
        }
    }

    private static void PerDirection(
        StringBuilder output, IReadOnlyList<ServicePortCounters> counters, string name, string help, Counter toEndpoints, Counter toClients)
    {
        Family(output, name, "counter", help);
        foreach (var c in counters)
        {
            Sample(output, name, c, "to_endpoints", c.Read(toEndpoints));
            Sample(output, name, c, "to_clients", c.Read(toClients));
        }
    }

    private static void Family(StringBuilder output, string name, string type, string help) =>
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder output, string name, ServicePortCounters counters, string? direction, long value)
    {
        output.Append(name).Append("{service_port=\"");
        AppendLabelValue(output, counters.Id.ToString());
        output.Append('"');
        if (direction is not null)
        {
            output.Append(",direction=\"").Append(direction).Append('"');
        }

        output.Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    // The format's escapes for label values: backslash, double quote and line feed.
    private static void AppendLabelValue(StringBuilder output, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => output.Append(@"\\"),
                '"' => output.Append("\\\""),
                '\n' => output.Append(@"\n"),
                _ => output.Append(c),
            };
        }
    }
}
