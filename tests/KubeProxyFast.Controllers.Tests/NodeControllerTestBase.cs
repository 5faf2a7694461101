using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Controllers.Tests;

/// <summary>
/// A real apiserver, a client the test writes through where a kubelet would, and controllers run
/// as a controller manager runs them (own informer factory and context, informers synced before
/// <see cref="IController.RunAsync"/>), each stopped by disposing what <see cref="RunAsync"/> returns.
/// </summary>
public abstract class NodeControllerTestBase : IAsyncLifetime, IDisposable
{
    protected static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private readonly List<RunningController> _running = [];

    protected TestApiServer Server { get; private set; } = null!;

    protected KubeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        Client = new KubeClient(Server.Url);
    }

    public async Task DisposeAsync()
    {
        foreach (var running in _running)
        {
            await running.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds a controller on a fresh context, starts its informers, waits for them and runs it.</summary>
    protected async Task<RunningController> RunAsync(Func<ControllerContext, IController> build)
    {
        var informers = new SharedInformerFactory(Client);
        var context = new ControllerContext(Client, informers, NullLoggerFactory.Instance);
        var controller = build(context);
        var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informers.WaitForCacheSyncAsync().WaitAsync(Within);
        var running = new RunningController(controller, informers, context, stop, controller.RunAsync(stop.Token));
        _running.Add(running);
        return running;
    }

    protected Task<Node> CreateNodeAsync(string name, Action<Node>? change = null)
    {
        var node = new Node { Metadata = new ObjectMeta { Name = name }, Spec = new NodeSpec(), Status = new NodeStatus() };
        change?.Invoke(node);
        return Client.CreateAsync(node);
    }

    /// <summary>The events whose involved object is <paramref name="name"/> with <paramref name="reason"/>.</summary>
    protected async Task<List<Event>> EventsAsync(string name, string reason)
    {
        var events = new List<Event>();
        foreach (var ns in new[] { "default", "kube-system" })
        {
            var list = await Client.ListAsync<Event>(ns);
            events.AddRange(list.Items.Where(e => e.InvolvedObject.Name == name && e.Reason == reason));
        }

        return events;
    }

    /// <summary>A controller running until disposed.</summary>
    protected sealed class RunningController(IController controller, SharedInformerFactory informers, ControllerContext context, CancellationTokenSource stop, Task run)
        : IAsyncDisposable
    {
        private bool _disposed;

        public IController Controller { get; } = controller;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await stop.CancelAsync();
            await run.WaitAsync(Within);
            await informers.DisposeAsync();
            await context.DisposeAsync();
            stop.Dispose();
        }
    }
}
