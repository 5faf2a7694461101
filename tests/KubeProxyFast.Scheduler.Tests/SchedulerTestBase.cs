using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Scheduler.Tests;

/// <summary>A real apiserver on loopback and a running scheduler (short backoffs), stopped at the end.</summary>
public abstract class SchedulerTestBase : IAsyncLifetime, IDisposable
{
    protected static readonly TimeSpan Within = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    protected TestApiServer Server { get; private set; } = null!;

    protected KubeClient Client { get; private set; } = null!;

    protected SharedInformerFactory Informers { get; private set; } = null!;

    protected Scheduler Scheduler { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        Client = new KubeClient(Server.Url);
        Informers = new SharedInformerFactory(Client);
        Scheduler = new Scheduler(Client, Informers, NullLoggerFactory.Instance, options: new SchedulerOptions
        {
            PodInitialBackoff = TimeSpan.FromMilliseconds(50),
            PodMaxBackoff = TimeSpan.FromMilliseconds(200),
        });
        Informers.Start();
        _running = Scheduler.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await Scheduler.DisposeAsync();
        await Informers.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Task<Node> CreateNodeAsync(Node node) => Client.CreateAsync(node);

    protected Task<Pod> CreatePodAsync(Pod pod) => Client.CreateAsync(pod);

    protected Task DeletePodNowAsync(string name) =>
        Client.DeleteAsync<Pod>("default", name, new DeleteOptions { GracePeriodSeconds = 0 });

    /// <summary>The node each named pod is bound to (null while unbound), read from the apiserver.</summary>
    protected async Task<Dictionary<string, string?>> NodesOfAsync()
    {
        var pods = await Client.ListAsync<Pod>("default");
        return pods.Items.ToDictionary(p => p.Metadata.Name!, p => p.Spec?.NodeName);
    }

    /// <summary>Waits until the pod is bound; returns its node.</summary>
    protected async Task<string> BoundNodeAsync(string name)
    {
        string? node = null;
        await Eventually.True(async () => (node = (await Client.GetAsync<Pod>("default", name)).Spec?.NodeName) is not null, $"pod {name} bound", Within);
        return node!;
    }

    /// <summary>The events about <paramref name="pod"/> with <paramref name="reason"/>.</summary>
    protected async Task<List<Event>> EventsAsync(string pod, string reason)
    {
        var events = await Client.ListAsync<Event>("default");
        return [.. events.Items.Where(e => e.InvolvedObject.Name == pod && e.Reason == reason)];
    }
}
