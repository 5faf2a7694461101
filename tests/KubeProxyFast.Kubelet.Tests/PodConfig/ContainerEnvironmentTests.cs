using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Resources;
using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

public sealed class ContainerEnvironmentTests
{
    private static Pod Pod(params EnvVar[] env) => new()
    {
        Metadata = new()
        {
            Name = "web-1", Namespace = "default", Uid = "0b5c3a8e-1111-2222-3333-444455556666",
            Labels = new() { ["app"] = "web" }, Annotations = new() { ["team"] = "blue" },
        },
        Spec = new()
        {
            NodeName = "node-a",
            ServiceAccountName = "builder",
            Containers =
            [
                new() { Name = "app", Image = "busybox", Env = [.. env], Resources = new() { Requests = new() { ["cpu"] = Quantity.Parse("250m"), ["memory"] = Quantity.Parse("64Mi") }, Limits = new() { ["memory"] = Quantity.Parse("128Mi") } } },
                new() { Name = "side", Image = "busybox", Resources = new() { Limits = new() { ["cpu"] = Quantity.Parse("1500m") } } },
            ],
        },
    };

    private static EnvironmentInputs Inputs(Pod pod) => new()
    {
        Pod = pod,
        Services = [ServiceEnvironmentTests.Service("default", "redis-master", "198.19.0.11", new ServicePort { Port = 6379, Protocol = "TCP" })],
        PodIPs = ["198.18.1.5", "fd00::5"],
        HostIPs = ["198.18.0.2"],
        NodeAllocatable = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("2"), ["memory"] = Quantity.Parse("4Gi"), ["ephemeral-storage"] = Quantity.Parse("10Gi") },
        GetConfigMap = name => name == "settings" ? new ConfigMap { Data = new() { ["mode"] = "fast" } } : null,
        GetSecret = name => name == "creds" ? new Secret { Data = new() { ["password"] = Encoding.UTF8.GetBytes("s3cret") } } : null,
    };

    private static IReadOnlyList<KeyValuePair<string, string>> Build(params EnvVar[] env)
    {
        var pod = Pod(env);
        return ContainerEnvironment.Build(Inputs(pod), pod.Spec!.Containers![0]);
    }

    private static string Value(IReadOnlyList<KeyValuePair<string, string>> env, string name) => Assert.Single(env, p => p.Key == name).Value;

    private static EnvVar Field(string name, string path) => new() { Name = name, ValueFrom = new() { FieldRef = new() { FieldPath = path } } };

    private static EnvVar Resource(string name, string resource, string? divisor = null, string? container = null) =>
        new() { Name = name, ValueFrom = new() { ResourceFieldRef = new() { Resource = resource, ContainerName = container, Divisor = divisor is null ? null : Quantity.Parse(divisor) } } };

    [Fact]
    public void Build_ServiceVariablesFirst_ThenContainerEnvInOrder()
    {
        var env = Build(new EnvVar { Name = "Z", Value = "1" }, new EnvVar { Name = "A", Value = "2" });

        Assert.Equal(
        [
            "REDIS_MASTER_SERVICE_HOST", "REDIS_MASTER_SERVICE_PORT", "REDIS_MASTER_PORT", "REDIS_MASTER_PORT_6379_TCP",
            "REDIS_MASTER_PORT_6379_TCP_PROTO", "REDIS_MASTER_PORT_6379_TCP_PORT", "REDIS_MASTER_PORT_6379_TCP_ADDR", "Z", "A",
        ], env.Select(p => p.Key));
    }

    [Fact]
    public void Build_ContainerVariableOfAServiceName_ReplacesIt()
    {
        var env = Build(new EnvVar { Name = "REDIS_MASTER_SERVICE_HOST", Value = "override" });

        Assert.Equal("override", Value(env, "REDIS_MASTER_SERVICE_HOST"));
        Assert.Equal("REDIS_MASTER_SERVICE_HOST", env[^1].Key);
    }

    [Fact]
    public void Build_ValueReferences_ExpandEarlierVariablesAndServiceVariablesOnly()
    {
        var env = Build(
            new EnvVar { Name = "FIRST", Value = "one" },
            new EnvVar { Name = "URL", Value = "redis://$(REDIS_MASTER_SERVICE_HOST):$(REDIS_MASTER_SERVICE_PORT)/$(FIRST)/$(LATER)/$$(FIRST)" },
            new EnvVar { Name = "LATER", Value = "late" });

        Assert.Equal("redis://198.19.0.11:6379/one/$(LATER)/$(FIRST)", Value(env, "URL"));
    }

    [Fact]
    public void Build_FieldRefs_GiveThePodsFields()
    {
        var env = Build(
            Field("NAME", "metadata.name"), Field("NS", "metadata.namespace"), Field("UID", "metadata.uid"),
            Field("APP", "metadata.labels['app']"), Field("TEAM", "metadata.annotations['team']"), Field("NONE", "metadata.labels['none']"),
            Field("NODE", "spec.nodeName"), Field("SA", "spec.serviceAccountName"),
            Field("HOST_IP", "status.hostIP"), Field("HOST_IPS", "status.hostIPs"), Field("POD_IP", "status.podIP"), Field("POD_IPS", "status.podIPs"));

        Assert.Equal(
            ["web-1", "default", "0b5c3a8e-1111-2222-3333-444455556666", "web", "blue", "", "node-a", "builder", "198.18.0.2", "198.18.0.2", "198.18.1.5", "198.18.1.5,fd00::5"],
            new[] { "NAME", "NS", "UID", "APP", "TEAM", "NONE", "NODE", "SA", "HOST_IP", "HOST_IPS", "POD_IP", "POD_IPS" }.Select(n => Value(env, n)));
    }

    [Fact]
    public void Build_UnsupportedFieldPath_IsAConfigError()
    {
        var e = Assert.Throws<ContainerConfigException>(() => Build(Field("X", "spec.hostname")));

        Assert.Equal("unsupported fieldPath: spec.hostname", e.Message);
    }

    [Fact]
    public void Build_ResourceFieldRefs_WithDivisorsAndNodeAllocatableDefaults()
    {
        var env = Build(
            Resource("CPU_REQ_M", "requests.cpu", "1m"),
            Resource("CPU_REQ", "requests.cpu"),
            Resource("CPU_LIMIT", "limits.cpu"),
            Resource("MEM_LIMIT_MI", "limits.memory", "1Mi"),
            Resource("MEM_REQ", "requests.memory"),
            Resource("EPH_LIMIT_GI", "limits.ephemeral-storage", "1Gi"),
            Resource("EPH_REQ", "requests.ephemeral-storage"),
            Resource("SIDE_CPU_REQ_M", "requests.cpu", "1m", "side"),
            Resource("SIDE_MEM_LIMIT_GI", "limits.memory", "1Gi", "side"));

        Assert.Equal("250", Value(env, "CPU_REQ_M"));
        Assert.Equal("1", Value(env, "CPU_REQ")); // 250m rounded up
        Assert.Equal("2", Value(env, "CPU_LIMIT")); // no limit: the node's allocatable
        Assert.Equal("128", Value(env, "MEM_LIMIT_MI"));
        Assert.Equal("67108864", Value(env, "MEM_REQ"));
        Assert.Equal("10", Value(env, "EPH_LIMIT_GI"));
        Assert.Equal("0", Value(env, "EPH_REQ"));
        Assert.Equal("1500", Value(env, "SIDE_CPU_REQ_M")); // request defaults to the limit
        Assert.Equal("4", Value(env, "SIDE_MEM_LIMIT_GI"));
    }

    [Fact]
    public void Build_ResourceFieldRefOfUnknownContainer_IsAConfigError()
    {
        var e = Assert.Throws<ContainerConfigException>(() => Build(Resource("X", "limits.cpu", null, "ghost")));

        Assert.Equal("container ghost not found", e.Message);
    }

    [Fact]
    public void Build_ConfigMapAndSecretKeys_AreRead()
    {
        var env = Build(
            new EnvVar { Name = "MODE", ValueFrom = new() { ConfigMapKeyRef = new() { Name = "settings", Key = "mode" } } },
            new EnvVar { Name = "PASSWORD", ValueFrom = new() { SecretKeyRef = new() { Name = "creds", Key = "password" } } },
            new EnvVar { Name = "USES", Value = "$(MODE)-$(PASSWORD)" });

        Assert.Equal(("fast", "s3cret", "fast-s3cret"), (Value(env, "MODE"), Value(env, "PASSWORD"), Value(env, "USES")));
    }

    [Fact]
    public void Build_OptionalMissingObjectsOrKeys_LeaveTheVariableOut()
    {
        var env = Build(
            new EnvVar { Name = "A", ValueFrom = new() { ConfigMapKeyRef = new() { Name = "absent", Key = "k", Optional = true } } },
            new EnvVar { Name = "B", ValueFrom = new() { ConfigMapKeyRef = new() { Name = "settings", Key = "absent", Optional = true } } },
            new EnvVar { Name = "C", ValueFrom = new() { SecretKeyRef = new() { Name = "absent", Key = "k", Optional = true } } },
            new EnvVar { Name = "D", ValueFrom = new() { SecretKeyRef = new() { Name = "creds", Key = "absent", Optional = true } } });

        Assert.DoesNotContain(env, p => p.Key is "A" or "B" or "C" or "D");
    }

    [Theory]
    [InlineData("cm-missing", "configmap \"absent\" not found")]
    [InlineData("cm-key", "couldn't find key absent in ConfigMap default/settings")]
    [InlineData("secret-missing", "secret \"absent\" not found")]
    [InlineData("secret-key", "couldn't find key absent in Secret default/creds")]
    public void Build_RequiredMissingObjectsOrKeys_AreConfigErrorsWithKubernetesMessages(string which, string message)
    {
        var source = which switch
        {
            "cm-missing" => new EnvVarSource { ConfigMapKeyRef = new() { Name = "absent", Key = "k" } },
            "cm-key" => new EnvVarSource { ConfigMapKeyRef = new() { Name = "settings", Key = "absent" } },
            "secret-missing" => new EnvVarSource { SecretKeyRef = new() { Name = "absent", Key = "k" } },
            _ => new EnvVarSource { SecretKeyRef = new() { Name = "creds", Key = "absent" } },
        };

        var e = Assert.Throws<ContainerConfigException>(() => Build(new EnvVar { Name = "X", ValueFrom = source }));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Build_ServiceLinksDisabled_OnlyMasterServiceAndOwnEnv()
    {
        var pod = Pod(new EnvVar { Name = "OWN", Value = "1" });
        pod.Metadata.Namespace = "app";
        pod.Spec!.EnableServiceLinks = false;
        var inputs = Inputs(pod) with
        {
            Services =
            [
                ServiceEnvironmentTests.Service("app", "db", "198.18.0.5", new ServicePort { Port = 5432 }),
                ServiceEnvironmentTests.Service("default", "kubernetes", "198.18.0.1", new ServicePort { Name = "https", Port = 443 }),
            ],
        };

        var env = ContainerEnvironment.Build(inputs, pod.Spec.Containers![0]);

        Assert.DoesNotContain(env, p => p.Key.StartsWith("DB_", StringComparison.Ordinal));
        Assert.Equal("198.18.0.1", Value(env, "KUBERNETES_SERVICE_HOST"));
        Assert.Equal("1", Value(env, "OWN"));
    }

    [Fact]
    public void ToCri_KeepsNamesAndValues()
    {
        var cri = ContainerEnvironment.ToCri([new("K", "välue")]);

        Assert.Equal(("K", "välue"), (cri[0].Key, cri[0].Value.ToStringUtf8()));
    }
}
