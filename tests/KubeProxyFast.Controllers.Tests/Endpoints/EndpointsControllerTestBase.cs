using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Controllers.Endpoints;
using KubeProxyFast.Testing;
using V1Endpoints = KubeProxyFast.Api.Core.Endpoints;

namespace KubeProxyFast.Controllers.Tests.Endpoints;

/// <summary>
/// A real apiserver, a client, and an endpoints controller on shared informers, started by the
/// test (so it can write objects first); the test writes pod status where a kubelet would.
/// </summary>
public abstract class EndpointsControllerTestBase : IAsyncLifetime, IDisposable
{
    protected static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private SharedInformerFactory? _informers;
    private ControllerContext? _context;
    private Task? _run;

    protected TestApiServer Server { get; private set; } = null!;

    protected KubeClient Client { get; private set; } = null!;

    protected CapturingLoggerFactory Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        Client = new KubeClient(Server.Url);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    public void Dispose()
    {
        Client.Dispose();
        _stop.Dispose();
        Logs.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds and runs the controller as a manager would: informers started and synced, then <see cref="EndpointsController.RunAsync"/>.</summary>
    protected async Task StartControllerAsync(EndpointsOptions? options = null)
    {
        _informers = new SharedInformerFactory(Client);
        _context = new ControllerContext(Client, _informers, Logs);
        var controller = new EndpointsController(_context, options ?? new EndpointsOptions());
        Assert.Equal("endpoint", controller.Name);
        _informers.Start(_stop.Token);
        await _informers.WaitForCacheSyncAsync(_stop.Token);
        _run = controller.RunAsync(_stop.Token);
    }

    protected Task<Service> CreateServiceAsync(
        string name, Dictionary<string, string>? selector, ServicePort[] ports, bool publishNotReady = false, string? clusterIP = null,
        Dictionary<string, string>? labels = null) =>
        Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = labels },
            Spec = new ServiceSpec { Selector = selector, Ports = [.. ports], PublishNotReadyAddresses = publishNotReady ? true : null, ClusterIP = clusterIP },
        });

    protected static ServicePort Port(string? name, int port, IntOrString? target = null, string protocol = "TCP") =>
        new() { Name = name, Port = port, TargetPort = target, Protocol = protocol };

    /// <summary>A pod with one container offering <paramref name="namedPorts"/> (name → number, TCP).</summary>
    protected Task<Pod> CreatePodAsync(
        string name, Dictionary<string, string> labels, Dictionary<string, int>? namedPorts = null, string? nodeName = null,
        string? hostname = null, string? subdomain = null) =>
        Client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = labels },
            Spec = new PodSpec
            {
                Containers =
                [
                    new Container
                    {
                        Name = "c",
                        Image = "busybox",
                        Ports = namedPorts?.Select(p => new ContainerPort { Name = p.Key, Number = p.Value, Protocol = "TCP" }).ToList(),
                    },
                ],
                NodeName = nodeName,
                Hostname = hostname,
                Subdomain = subdomain,
            },
        });

    /// <summary>Writes the pod's status as a kubelet would: Running, its IP, and the Ready condition.</summary>
    protected async Task<Pod> SetPodStatusAsync(string name, string ip, bool ready, string phase = PodPhases.Running)
    {
        var pod = await Client.GetAsync<Pod>("default", name);
        pod.Status ??= new PodStatus();
        pod.Status.Phase = phase;
        pod.Status.PodIP = ip;
        pod.Status.PodIPs = [new PodIP { Ip = ip }];
        var transition = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var condition = pod.Status.Conditions?.Find(c => c.Type == PodConditionTypes.Ready);
        var status = ready ? ConditionStatuses.True : ConditionStatuses.False;
        if (condition is null)
        {
            (pod.Status.Conditions ??= []).Add(new PodCondition { Type = PodConditionTypes.Ready, Status = status, LastTransitionTime = transition });
        }
        else if (condition.Status != status)
        {
            condition.Status = status;
            condition.LastTransitionTime = transition;
        }

        return await Client.UpdateStatusAsync(pod);
    }

    protected async Task<V1Endpoints?> TryGetEndpointsAsync(string name)
    {
        try
        {
            return await Client.GetAsync<V1Endpoints>("default", name);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Waits until the Endpoints <paramref name="name"/> satisfy <paramref name="condition"/> and returns them.</summary>
    protected async Task<V1Endpoints> WaitForEndpointsAsync(string name, Func<V1Endpoints, bool> condition, string what)
    {
        V1Endpoints? last = null;
        await Eventually.True(async () => (last = await TryGetEndpointsAsync(name)) is { } e && condition(e), $"{what} (last: {Describe(last)})", Within);
        return last!;
    }

    /// <summary>The subsets as text: <c>ready[ip,…] notReady[ip,…] ports[name:port/proto,…]</c> per subset, joined by <c>|</c>.</summary>
    protected static string Describe(V1Endpoints? endpoints) =>
        endpoints is null
            ? "<none>"
            : string.Join(" | ", (endpoints.Subsets ?? []).Select(s =>
                $"ready[{string.Join(",", (s.Addresses ?? []).Select(a => a.Ip))}] notReady[{string.Join(",", (s.NotReadyAddresses ?? []).Select(a => a.Ip))}] ports[{string.Join(",", (s.Ports ?? []).Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))}]"));

    protected static Dictionary<string, string> App(string app) => new() { ["app"] = app };
}
