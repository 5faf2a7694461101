using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Controllers.GarbageCollector;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Controllers.Tests.GarbageCollector;

/// <summary>
/// An in-process apiserver and a garbage collector against it through the API, as a controller
/// manager would run it; the collector can be stopped and started again (a restart of the manager).
/// </summary>
internal sealed class GarbageCollectorHarness : IAsyncDisposable
{
    private Running? _running;

    private GarbageCollectorHarness(TestApiServer server)
    {
        Server = server;
        Client = new KubeClient(server.Url);
    }

    /// <summary>The running collector.</summary>
    public Controllers.GarbageCollector.GarbageCollector Collector => _running?.Collector ?? throw new InvalidOperationException("the collector is stopped");

    /// <summary>The apiserver.</summary>
    public TestApiServer Server { get; }

    /// <summary>A client of it, for the test's own reads and writes.</summary>
    public KubeClient Client { get; }

    /// <summary>What the running collector logged (across restarts).</summary>
    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>Starts an apiserver, and the collector unless <paramref name="startCollector"/> is false.</summary>
    public static async Task<GarbageCollectorHarness> StartAsync(bool startCollector = true)
    {
        var harness = new GarbageCollectorHarness(await TestApiServer.StartAsync());
        if (startCollector)
        {
            await harness.StartCollectorAsync();
        }

        return harness;
    }

    /// <summary>Starts a collector with fresh informers (caches synced before its workers run), as a manager's start does.</summary>
    public async Task StartCollectorAsync()
    {
        var client = new KubeClient(Server.Url);
        var informers = new SharedInformerFactory(client);
        var context = new ControllerContext(client, informers, Logs);
        var collector = new Controllers.GarbageCollector.GarbageCollector(context, new GarbageCollectorOptions { ConcurrentGcSyncs = 2 });
        var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informers.WaitForCacheSyncAsync(stop.Token);
        _running = new Running(client, informers, context, collector, stop, collector.RunAsync(stop.Token));
    }

    /// <summary>Stops the collector and its informers.</summary>
    public async Task StopCollectorAsync()
    {
        if (_running is not { } running)
        {
            return;
        }

        _running = null;
        await running.Stop.CancelAsync();
        await running.Run;
        await running.Informers.StopAsync();
        await running.Context.DisposeAsync();
        await running.Informers.DisposeAsync();
        running.Client.Dispose();
        running.Stop.Dispose();
    }

    /// <summary>A replication controller of no replicas (nothing creates its pods here; the tests do).</summary>
    public Task<ReplicationController> CreateControllerAsync(string name, string ns = "default") =>
        Client.CreateAsync(new ReplicationController
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new ReplicationControllerSpec
            {
                Replicas = 0,
                Selector = new() { ["app"] = name },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                    Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
                },
            },
        });

    /// <summary>A pod (on no node, so its deletion is immediate) owned by <paramref name="owners"/>.</summary>
    public Task<Pod> CreatePodAsync(string name, params OwnerReference[] owners) =>
        Client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = "x" }, OwnerReferences = owners.Length == 0 ? null : [.. owners] },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
        });

    /// <summary>A config map owned by <paramref name="owners"/>.</summary>
    public Task<ConfigMap> CreateConfigMapAsync(string name, params OwnerReference[] owners) =>
        Client.CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", OwnerReferences = [.. owners] },
            Data = new() { ["k"] = "v" },
        });

    /// <summary>A reference to <paramref name="owner"/> as a replication manager writes it.</summary>
    public static OwnerReference OwnedBy(KubeObject owner, bool block = true, bool controller = true) => new()
    {
        ApiVersion = owner.ApiVersion ?? "v1",
        Kind = owner.Kind ?? "",
        Name = owner.Metadata.Name!,
        Uid = owner.Metadata.Uid!,
        Controller = controller,
        BlockOwnerDeletion = block,
    };

    /// <summary>The object, or null once it is gone.</summary>
    public async Task<T?> FindAsync<T>(string name, string ns = "default")
        where T : KubeObject
    {
        try
        {
            return await Client.GetAsync<T>(ns, name);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Waits until the object is gone.</summary>
    public Task GoneAsync<T>(string name, string ns = "default")
        where T : KubeObject =>
        Eventually.True(async () => await FindAsync<T>(name, ns) is null, $"{typeof(T).Name} {ns}/{name} to be deleted", TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await StopCollectorAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        Logs.Dispose();
    }

    private sealed record Running(
        KubeClient Client, SharedInformerFactory Informers, ControllerContext Context, Controllers.GarbageCollector.GarbageCollector Collector,
        CancellationTokenSource Stop, Task Run);
}
