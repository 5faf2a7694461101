using System.Collections.Concurrent;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Controllers.Tests;

/// <summary><see cref="ControllerManager"/> and <see cref="ControllerSelection"/> against a real apiserver, with recording controllers.</summary>
public sealed class ControllerManagerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> _log = new();
    private TestApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("*", "a,b,c")]
    [InlineData("*,-b", "a,c")]
    [InlineData("-b,*", "a,c")]
    [InlineData("b", "b")]
    [InlineData("c,a", "a,c")]
    [InlineData("b,-b", "b")]
    [InlineData("*,c-new", "a,b,c")]
    [InlineData("-c-new,*", "a,b")]
    public void Enabled_KubeControllerManagerSyntax_SelectsInKnownOrder(string flag, string expected)
    {
        var enabled = ControllerSelection.Enabled(flag.Split(','), Known());

        Assert.Equal(expected, string.Join(',', enabled.Select(r => r.Name)));
    }

    [Fact]
    public void Enabled_UnknownNames_ThrowsNamingEachAndTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ControllerSelection.Enabled(["*", "-nope", "deployment"], Known()));

        Assert.Contains("\"nope\" is not in the list of known controllers", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"deployment\" is not in the list of known controllers", error.Message, StringComparison.Ordinal);
        Assert.Contains("known: a, b, c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownController_Throws()
    {
        var context = NewContext(out _);

        Assert.Throws<ArgumentException>(() => new ControllerManager(context, new ControllerManagerOptions { Controllers = ["x"] }, Known()));
    }

    [Fact]
    public void KnownControllers_Names_AreUniqueAcrossNamesAndAliases()
    {
        var names = KnownControllers.All.SelectMany(r => r.Aliases.Prepend(r.Name)).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task RunAsync_EnabledControllers_RunAfterCachesSyncAndStopInReverseOrder()
    {
        await _client.CreateAsync(new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "default" }, Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "i" }] } });
        await using var context = NewContext(out _);
        var manager = new ControllerManager(context, new ControllerManagerOptions { Controllers = ["*", "-b"] }, Known());
        using var stop = new CancellationTokenSource();

        var run = manager.RunAsync(stop.Token);
        await Eventually.True(() => manager.IsRunning, "the manager runs its controllers", Within);

        Assert.Equal(["a", "c"], manager.EnabledControllers);
        Assert.Equal(["built a", "built c"], _log.Take(2));
        // Each controller logs what it saw once it runs, which may be just after the manager says it runs them.
        await Eventually.True(() => _log.Contains("a saw 1 pod(s)") && _log.Contains("c saw 1 pod(s)"), "both controllers saw the pod", Within);
        await stop.CancelAsync();
        await run.WaitAsync(Within);
        Assert.Equal(["stopped c", "stopped a"], _log.Where(l => l.StartsWith("stopped", StringComparison.Ordinal)));
        Assert.False(manager.IsRunning);
    }

    [Fact]
    public async Task RunAsync_AControllerEndsByItself_StopsTheOthersAndThrowsNamingIt()
    {
        await using var context = NewContext(out _);
        ControllerRegistration[] known =
        [
            new("steady", (c, _) => new RecordingController("steady", c, _log)),
            new("broken", (c, _) => new RecordingController("broken", c, _log, fail: true)),
        ];
        var manager = new ControllerManager(context, new ControllerManagerOptions(), known);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.RunAsync(CancellationToken.None).WaitAsync(Within));

        Assert.Contains("controller \"broken\" stopped by itself", error.Message, StringComparison.Ordinal);
        Assert.Equal("broken on purpose", error.InnerException?.Message);
        Assert.Contains("stopped steady", _log);
    }

    [Fact]
    public async Task RunAsync_FactoryThrows_ThrowsNamingTheController()
    {
        await using var context = NewContext(out _);
        ControllerRegistration[] known = [new("bad", (_, _) => throw new ArgumentException("invalid --cluster-cidr"))];
        var manager = new ControllerManager(context, new ControllerManagerOptions(), known);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.RunAsync(CancellationToken.None));

        Assert.Equal("error starting controller \"bad\": invalid --cluster-cidr", error.Message);
    }

    private ControllerContext NewContext(out SharedInformerFactory informers)
    {
        informers = new SharedInformerFactory(_client);
        return new ControllerContext(_client, informers, NullLoggerFactory.Instance);
    }

    private ControllerRegistration[] Known() =>
    [
        new("a", (c, _) => new RecordingController("a", c, _log)),
        new("b", (c, _) => new RecordingController("b", c, _log)),
        new("c", (c, _) => new RecordingController("c", c, _log), "c-new"),
    ];

    /// <summary>Asks for the pod informer when built (as a controller does), logs what its cache holds when run, and when it stops.</summary>
    private sealed class RecordingController : IController
    {
        private readonly SharedInformer<Pod> _pods;
        private readonly ConcurrentQueue<string> _log;
        private readonly bool _fail;

        public RecordingController(string name, ControllerContext context, ConcurrentQueue<string> log, bool fail = false)
        {
            Name = name;
            _log = log;
            _fail = fail;
            _pods = context.Informers.InformerFor<Pod>();
            log.Enqueue("built " + name);
        }

        public string Name { get; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            _log.Enqueue($"{Name} saw {_pods.Lister.List().Count} pod(s)");
            if (_fail)
            {
                await Task.Yield();
                throw new InvalidOperationException("broken on purpose");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _log.Enqueue("stopped " + Name);
            }
        }
    }
}
