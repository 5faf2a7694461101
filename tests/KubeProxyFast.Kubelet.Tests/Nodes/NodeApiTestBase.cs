using KubeProxyFast.Api.Resources;
using KubeProxyFast.Client;
using KubeProxyFast.Kubelet.Nodes;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

/// <summary>A real in-process apiserver and a client, per test, and the description of a made-up machine.</summary>
public abstract class NodeApiTestBase : IAsyncLifetime
{
    protected const string NodeName = "node-a";

    protected TestApiServer Server { get; private set; } = null!;

    protected KubeClient Client { get; private set; } = null!;

    protected static MachineInfo Machine { get; } = new()
    {
        CpuCount = 4,
        MemoryBytes = 8L * 1024 * 1024 * 1024,
        EphemeralStorageBytes = 100L * 1024 * 1024 * 1024,
        KernelVersion = "6.1.0-test",
        OsImage = "Test Linux 1",
        MachineId = "m-1",
        BootId = "b-1",
        Architecture = "arm64",
    };

    protected static KubeletOptions Options { get; } = new()
    {
        NodeName = NodeName,
        NodeIp = "198.18.0.2",
        RegisterWithTaints = ["dedicated=infra:NoSchedule"],
        NodeLabels = new Dictionary<string, string> { ["tier"] = "edge" },
        SystemReserved = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("500m"), ["memory"] = Quantity.Parse("1Gi") },
        MaxPods = 50,
    };

    protected static NodeDescription Description(KubeletOptions? options = null) =>
        NodeDescription.Build(options ?? Options, Machine, "containerd", "1.7.24");

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        Client = new KubeClient(Server.Url);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
