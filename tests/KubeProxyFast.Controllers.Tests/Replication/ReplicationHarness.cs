using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Controllers.Replication;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Controllers.Tests.Replication;

/// <summary>
/// A real apiserver, a replication manager running against it through <see cref="Faults"/> (its
/// watches can be delayed, its requests answered by the test), and a direct client for what the
/// test writes where a user or a kubelet would.
/// </summary>
internal sealed class ReplicationHarness : IAsyncDisposable
{
    public const string Namespace = "default";
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private readonly HttpClient _controllerHttp;
    private readonly KubeClient _controllerClient;
    private readonly SharedInformerFactory _informers;
    private readonly ControllerContext _context;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private ReplicationHarness(TestApiServer server, ApiFaults faults, TimeProvider time, ReplicationOptions options)
    {
        Server = server;
        Faults = faults;
        Client = new KubeClient(server.Http);
        _controllerHttp = new HttpClient(faults) { BaseAddress = server.Url };
        _controllerClient = new KubeClient(_controllerHttp);
        _informers = new SharedInformerFactory(_controllerClient);
        _context = new ControllerContext(_controllerClient, _informers, NullLoggerFactory.Instance, time);
        Manager = new ReplicationManager(_context, options);
    }

    public TestApiServer Server { get; }

    /// <summary>The controller's path to the apiserver.</summary>
    public ApiFaults Faults { get; }

    /// <summary>The test's own client (not delayed, never refused).</summary>
    public KubeClient Client { get; }

    public ReplicationManager Manager { get; }

    /// <summary>Starts a server and the manager; <paramref name="configure"/> sets faults before anything runs.</summary>
    public static async Task<ReplicationHarness> StartAsync(
        ReplicationOptions? options = null, TimeProvider? time = null, Action<ApiFaults>? configure = null)
    {
        var server = await TestApiServer.StartAsync();
        var faults = new ApiFaults();
        configure?.Invoke(faults);
        var harness = new ReplicationHarness(server, faults, time ?? TimeProvider.System, options ?? new ReplicationOptions());
        harness._informers.Start(harness._stop.Token);
        await harness._informers.WaitForCacheSyncAsync(harness._stop.Token);
        harness._run = harness.Manager.RunAsync(harness._stop.Token);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _informers.DisposeAsync();
        await _context.DisposeAsync();
        _controllerClient.Dispose();
        _controllerHttp.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A controller of <paramref name="replicas"/> pods labelled <c>app=&lt;name&gt;</c> (plus <paramref name="extraTemplateLabels"/>).</summary>
    public Task<ReplicationController> CreateRcAsync(
        string name, int replicas, int minReadySeconds = 0, Dictionary<string, string>? extraTemplateLabels = null,
        Dictionary<string, string>? templateAnnotations = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        foreach (var (key, value) in extraTemplateLabels ?? [])
        {
            labels[key] = value;
        }

        return Client.CreateAsync(new ReplicationController
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace },
            Spec = new ReplicationControllerSpec
            {
                Replicas = replicas,
                MinReadySeconds = minReadySeconds == 0 ? null : minReadySeconds,
                Selector = new Dictionary<string, string> { ["app"] = name },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = labels, Annotations = templateAnnotations },
                    Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
                },
            },
        });
    }

    /// <summary>A pod the test creates itself (an orphan unless <paramref name="owner"/> is given).</summary>
    public Task<Pod> CreatePodAsync(string name, Dictionary<string, string> labels, OwnerReference? owner = null) =>
        Client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace, Labels = labels, OwnerReferences = owner is null ? null : [owner] },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        });

    public Task<ReplicationController> RcAsync(string name) => Client.GetAsync<ReplicationController>(Namespace, name);

    public Task ScaleAsync(string name, int replicas) =>
        Client.PatchAsync<ReplicationController>(Namespace, name, PatchType.Merge, $$$"""{"spec":{"replicas":{{{replicas}}}}}""");

    public async Task<List<Pod>> PodsAsync() => (await Client.ListAsync<Pod>(Namespace)).Items;

    /// <summary>The pods <paramref name="rc"/> controls that are not being deleted.</summary>
    public async Task<List<Pod>> OwnedPodsAsync(ReplicationController rc) =>
        [.. (await PodsAsync()).Where(p => p.Metadata.DeletionTimestamp is null
            && p.Metadata.OwnerReferences?.Exists(o => o.Uid == rc.Metadata.Uid && o.Controller == true) == true)];

    /// <summary>Waits until <paramref name="rc"/> controls exactly <paramref name="count"/> pods not being deleted, and returns them.</summary>
    public async Task<List<Pod>> WaitForOwnedAsync(ReplicationController rc, int count)
    {
        List<Pod> pods = [];
        await Eventually.True(async () => (pods = await OwnedPodsAsync(rc)).Count == count, $"{count} pods of {rc.Metadata.Name}", Within);
        return pods;
    }

    /// <summary>Waits until the controller's status satisfies <paramref name="check"/>, and returns it.</summary>
    public async Task<ReplicationController> WaitForStatusAsync(string name, Func<ReplicationControllerStatus, bool> check, string what)
    {
        ReplicationController rc = null!;
        await Eventually.True(async () => (rc = await RcAsync(name)).Status is { } status && check(status), what, Within);
        return rc;
    }

    /// <summary>Writes the pod's status as its kubelet would: phase, Ready (since <paramref name="readySince"/>), restarts.</summary>
    public async Task<Pod> SetPodStatusAsync(string podName, string phase, bool ready, DateTimeOffset? readySince = null, int restarts = 0)
    {
        var pod = await Client.GetAsync<Pod>(Namespace, podName);
        pod.Status = new PodStatus
        {
            Phase = phase,
            Conditions =
            [
                new PodCondition
                {
                    Type = PodConditionTypes.Ready,
                    Status = ready ? ConditionStatuses.True : ConditionStatuses.False,
                    LastTransitionTime = readySince ?? DateTimeOffset.UtcNow,
                },
            ],
            ContainerStatuses = [new ContainerStatus { Name = "c", Image = "busybox", Ready = ready, RestartCount = restarts }],
        };
        return await Client.UpdateStatusAsync(pod);
    }

    public Task BindAsync(string podName, string node) => Client.BindAsync(Namespace, podName, node);

    /// <summary>The events about <paramref name="rc"/>.</summary>
    public async Task<List<Event>> EventsAsync(ReplicationController rc) =>
        [.. (await Client.ListAsync<Event>(Namespace)).Items.Where(e => e.InvolvedObject.Uid == rc.Metadata.Uid)];
}
