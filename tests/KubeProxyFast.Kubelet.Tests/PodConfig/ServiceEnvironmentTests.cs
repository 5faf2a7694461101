using KubeProxyFast.Api.Core;
using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

public sealed class ServiceEnvironmentTests
{
    internal static Service Service(string ns, string name, string? clusterIP, params ServicePort[] ports) => new()
    {
        Metadata = new() { Name = name, Namespace = ns },
        Spec = new() { ClusterIP = clusterIP, Ports = [.. ports] },
    };

    private static string[] Lines(IReadOnlyList<KeyValuePair<string, string>> env) => env.Select(p => p.Key + "=" + p.Value).ToArray();

    [Fact]
    public void For_SeedRedisMaster_GivesExactlyTheSeedVariables()
    {
        // The seed's guestbook (a Service redis-master on TCP 6379), at a test address in 198.18.0.0/15.
        var services = new[] { Service("default", "redis-master", "198.19.0.11", new ServicePort { Port = 6379, Protocol = "TCP" }) };

        var env = ServiceEnvironment.For("default", enableServiceLinks: true, services);

        Assert.Equal(
        [
            "REDIS_MASTER_SERVICE_HOST=198.19.0.11",
            "REDIS_MASTER_SERVICE_PORT=6379",
            "REDIS_MASTER_PORT=tcp://198.19.0.11:6379",
            "REDIS_MASTER_PORT_6379_TCP=tcp://198.19.0.11:6379",
            "REDIS_MASTER_PORT_6379_TCP_PROTO=tcp",
            "REDIS_MASTER_PORT_6379_TCP_PORT=6379",
            "REDIS_MASTER_PORT_6379_TCP_ADDR=198.19.0.11",
        ], Lines(env));
    }

    [Fact]
    public void For_NamedPorts_GetServicePortNameAndLinkVariablesForEveryPort()
    {
        var services = new[]
        {
            Service("web", "front-end", "198.18.5.1",
                new ServicePort { Name = "http", Port = 80 },
                new ServicePort { Name = "dns-udp", Port = 53, Protocol = "UDP" }),
        };

        var env = ServiceEnvironment.For("web", true, services);

        Assert.Equal(
        [
            "FRONT_END_SERVICE_HOST=198.18.5.1",
            "FRONT_END_SERVICE_PORT=80",
            "FRONT_END_SERVICE_PORT_HTTP=80",
            "FRONT_END_SERVICE_PORT_DNS_UDP=53",
            "FRONT_END_PORT=tcp://198.18.5.1:80",
            "FRONT_END_PORT_80_TCP=tcp://198.18.5.1:80",
            "FRONT_END_PORT_80_TCP_PROTO=tcp",
            "FRONT_END_PORT_80_TCP_PORT=80",
            "FRONT_END_PORT_80_TCP_ADDR=198.18.5.1",
            "FRONT_END_PORT_53_UDP=udp://198.18.5.1:53",
            "FRONT_END_PORT_53_UDP_PROTO=udp",
            "FRONT_END_PORT_53_UDP_PORT=53",
            "FRONT_END_PORT_53_UDP_ADDR=198.18.5.1",
        ], Lines(env));
    }

    [Fact]
    public void For_HeadlessExternalNameAndOtherNamespaces_AreSkipped_KubernetesFromDefaultIsKept()
    {
        var port = new ServicePort { Port = 443 };
        var external = Service("app", "ext", null, port);
        external.Spec!.Type = ServiceTypes.ExternalName;
        external.Spec.ExternalName = "example.com";
        var services = new[]
        {
            Service("app", "headless", "None", port),
            Service("app", "pending", "", port),
            external,
            Service("other", "elsewhere", "198.18.0.7", port),
            Service("default", "kubernetes", "198.18.0.1", new ServicePort { Name = "https", Port = 443 }),
            Service("default", "not-master", "198.18.0.9", port),
        };

        var names = ServiceEnvironment.For("app", true, services).Select(p => p.Key).ToArray();

        Assert.Contains("KUBERNETES_SERVICE_HOST", names);
        Assert.Contains("KUBERNETES_SERVICE_PORT_HTTPS", names);
        Assert.DoesNotContain(names, n => n.StartsWith("HEADLESS", StringComparison.Ordinal) || n.StartsWith("PENDING", StringComparison.Ordinal)
            || n.StartsWith("EXT", StringComparison.Ordinal) || n.StartsWith("ELSEWHERE", StringComparison.Ordinal) || n.StartsWith("NOT_MASTER", StringComparison.Ordinal));
    }

    [Fact]
    public void For_EnableServiceLinksFalse_KeepsOnlyTheMasterService()
    {
        var services = new[]
        {
            Service("default", "kubernetes", "198.18.0.1", new ServicePort { Port = 443 }),
            Service("app", "db", "198.18.0.5", new ServicePort { Port = 5432 }),
        };

        var env = ServiceEnvironment.For("app", enableServiceLinks: false, services);

        Assert.All(env, p => Assert.StartsWith("KUBERNETES_", p.Key, StringComparison.Ordinal));
        Assert.Contains(new KeyValuePair<string, string>("KUBERNETES_SERVICE_HOST", "198.18.0.1"), env);
    }

    [Fact]
    public void For_PodNamespaceServiceNamedKubernetes_WinsOverDefaults()
    {
        var services = new[]
        {
            Service("app", "kubernetes", "198.18.0.50", new ServicePort { Port = 8080 }),
            Service("default", "kubernetes", "198.18.0.1", new ServicePort { Port = 443 }),
        };

        var env = ServiceEnvironment.For("app", true, services);

        Assert.Contains(new KeyValuePair<string, string>("KUBERNETES_SERVICE_HOST", "198.18.0.50"), env);
        Assert.DoesNotContain(env, p => p.Value == "198.18.0.1");
    }

    [Fact]
    public void For_IPv6ClusterIP_IsBracketedInUrls()
    {
        var env = ServiceEnvironment.For("app", true, [Service("app", "v6", "fd00::10", new ServicePort { Port = 80 })]);

        Assert.Contains(new KeyValuePair<string, string>("V6_PORT", "tcp://[fd00::10]:80"), env);
        Assert.Contains(new KeyValuePair<string, string>("V6_PORT_80_TCP_ADDR", "fd00::10"), env);
    }
}
