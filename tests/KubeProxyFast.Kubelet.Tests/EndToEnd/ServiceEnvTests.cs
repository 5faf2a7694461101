using System.Globalization;
using System.Text.Json.Nodes;
using KubeProxyFast.Kubelet.Tests.EndToEnd.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd;

/// <summary>The seed's service environment variables, exactly, as a container's <c>env</c> prints them.</summary>
[Collection(SharedNodeGroup.Name)]
public sealed class ServiceEnvTests(SharedNode shared)
{
    [Fact]
    public async Task Env_ServicesBeforeThePod_ExactSeedVariables_NoneForALaterService()
    {
        var node = shared.Node;
        var ns = E2e.Unique("env");
        await node.CreateAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        var redis = await CreateServiceAsync(node, ns, "redis-master", """[{"port": 6379, "protocol": "TCP"}]""");
        var web = await CreateServiceAsync(node, ns, "web-front", """[{"name": "http", "port": 80, "protocol": "TCP"}, {"name": "metrics", "port": 9090, "protocol": "TCP"}]""");
        var kubernetes = await node.GetAsync("/api/v1/namespaces/default/services/kubernetes");
        var pod = new PodBuilder(node, "env-dump", ns).Container("c", E2e.Put + "env | put env; exec sleep 3600");
        var noLinks = new PodBuilder(node, "env-nolinks", ns).EnableServiceLinks(false).Container("c", E2e.Put + "env | put env; exec sleep 3600");
        await node.CreatePodAsync(pod);
        await node.CreatePodAsync(noLinks);
        try
        {
            var env = Vars(await node.ReadOutAsync(pod, "env"));
            var late = await CreateServiceAsync(node, ns, "late-comer", """[{"port": 7000, "protocol": "TCP"}]""");
            await node.WaitRunningAsync(pod);

            Assert.Equal(Expected(redis), Only(env, "REDIS_MASTER_"));
            Assert.Equal(Expected(web), Only(env, "WEB_FRONT_"));
            Assert.Equal(Expected(kubernetes), Only(env, "KUBERNETES_"));
            Assert.Equal("6379", env["REDIS_MASTER_SERVICE_PORT"]);
            Assert.Equal("80", env["WEB_FRONT_SERVICE_PORT_HTTP"]);
            Assert.Equal("9090", env["WEB_FRONT_SERVICE_PORT_METRICS"]);
            Assert.Empty(Only(env, "LATE_COMER_"));
            Assert.NotNull(late);

            var without = Vars(await node.ReadOutAsync(noLinks, "env"));
            Assert.Empty(Only(without, "REDIS_MASTER_"));
            Assert.Empty(Only(without, "WEB_FRONT_"));
            Assert.Equal(Expected(kubernetes), Only(without, "KUBERNETES_"));
        }
        finally
        {
            await node.DeleteAsync(pod.PodPath, 0);
            await node.DeleteAsync(noLinks.PodPath, 0);
        }
    }

    private static async Task<JsonObject> CreateServiceAsync(KubeletNode node, string ns, string name, string ports) =>
        await node.CreateAsync($"/api/v1/namespaces/{ns}/services",
            $$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}"},"spec":{"selector":{"app":"{{{name}}}"},"ports":{{{ports}}}}}""");

    // The seed's variables for a service, computed here from its object (Kubernetes' envvars.FromServices).
    private static SortedDictionary<string, string> Expected(JsonObject service)
    {
        var name = ((string)service["metadata"]!["name"]!).ToUpperInvariant().Replace('-', '_');
        var ip = (string)service["spec"]!["clusterIP"]!;
        var ports = service["spec"]!["ports"]!.AsArray().Select(p => ((string?)p!["name"], (int)p["port"]!, ((string?)p["protocol"] ?? "TCP").ToLowerInvariant())).ToList();
        var vars = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{name}_SERVICE_HOST"] = ip,
            [$"{name}_SERVICE_PORT"] = ports[0].Item2.ToString(CultureInfo.InvariantCulture),
            [$"{name}_PORT"] = $"{ports[0].Item3}://{ip}:{ports[0].Item2}",
        };
        foreach (var (portName, port, protocol) in ports)
        {
            if (!string.IsNullOrEmpty(portName))
            {
                vars[$"{name}_SERVICE_PORT_{portName.ToUpperInvariant().Replace('-', '_')}"] = port.ToString(CultureInfo.InvariantCulture);
            }

            var prefix = string.Create(CultureInfo.InvariantCulture, $"{name}_PORT_{port}_{protocol.ToUpperInvariant()}");
            vars[prefix] = $"{protocol}://{ip}:{port}";
            vars[prefix + "_PROTO"] = protocol;
            vars[prefix + "_PORT"] = port.ToString(CultureInfo.InvariantCulture);
            vars[prefix + "_ADDR"] = ip;
        }

        return vars;
    }

    private static Dictionary<string, string> Vars(string env) =>
        env.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    private static SortedDictionary<string, string> Only(Dictionary<string, string> env, string prefix) =>
        new(env.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal);
}
