using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Snapshot;
using KubeProxyFast.KubeProxy.Config;
using KubeProxyFast.KubeProxy.Tests.Support;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.KubeProxy.Tests.Config;

/// <summary>The file source end to end: real files, a real engine, real backends on loopback.</summary>
public sealed class ConfigFileSourceTests : IAsyncLifetime
{
    private const int ServicePort = 18080;

    // Short timings keep the tests fast; the defaults (200 ms debounce, 2 s poll) are for people's editors.
    private static readonly ConfigFileSourceOptions Fast = new()
    {
        Debounce = TimeSpan.FromMilliseconds(50),
        PollInterval = TimeSpan.FromMilliseconds(250),
    };

    private readonly TempDirectory _dir = new();
    private readonly ProxyEngine _engine = new(new ProxyEngineOptions { SweepInterval = TimeSpan.FromMilliseconds(50) });
    private readonly TcpBackend _one = new("one");
    private readonly TcpBackend _two = new("two");
    private readonly IPAddress _clusterIP = TestAddresses.NextClusterIP();

    private IPEndPoint Service => new(_clusterIP, ServicePort);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _one.DisposeAsync();
        await _two.DisposeAsync();
        _dir.Dispose();
    }

    private string WebServedBy(TcpBackend backend) => Manifests.Documents(
        Manifests.Service("web", _clusterIP, ServicePort),
        Manifests.Endpoints("web", "http", backend.EndPoint));

    private static string BrokenPort(string yaml) =>
        yaml.Replace($"port: {ServicePort}", "port: 70000", StringComparison.Ordinal);

    private static async Task<ConfigLoadStatus> NextLoad(ConfigFileSource source, long after)
    {
        await Eventually.True(() => source.Status!.Attempts > after, $"a load after attempt {after}");
        return source.Status!;
    }

    [Fact]
    public async Task Load_ValidFile_ServesTrafficToTheEndpoint()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        using var source = new ConfigFileSource(path, _engine, Fast);

        var status = source.Load();

        Assert.True(status.Succeeded, status.Message);
        Assert.Equal(1, status.ServicePorts);
        Assert.Equal(("one", "ping"), await RoundTrip(Service, "ping"));
    }

    [Fact]
    public async Task Watch_EditBreakAndFix_FollowsEditsKeepsServingThroughTheBreakAndRecovers()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        using var source = new ConfigFileSource(path, _engine, Fast);
        Assert.True(source.Load().Succeeded);
        source.StartWatching();
        Assert.Equal("one", await Identify(Service));

        // 1. The endpoint moves: new connections reach the new backend.
        _dir.WriteAtomically("services.yaml", WebServedBy(_two));
        var edited = await NextLoad(source, 1);
        Assert.True(edited.Succeeded, edited.Message);
        Assert.Equal("two", await Identify(Service));

        // 2. A broken version: the error names file, document and field; the last good one serves.
        _dir.WriteAtomically("services.yaml", BrokenPort(WebServedBy(_one)));
        var broken = await NextLoad(source, edited.Attempts);
        Assert.False(broken.Succeeded);
        Assert.Contains($"{path}: document 1: Service \"web\" is invalid: spec.ports[0].port: Invalid value: 70000",
            broken.Message, StringComparison.Ordinal);
        Assert.Equal(1, broken.Failures);
        Assert.Equal("two", await Identify(Service));

        // 3. Fixed: served again, and the totals count both outcomes.
        _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        var fixedStatus = await NextLoad(source, broken.Attempts);
        Assert.True(fixedStatus.Succeeded, fixedStatus.Message);
        Assert.Equal((3L, 1L), (fixedStatus.Successes, fixedStatus.Failures));
        Assert.Equal("one", await Identify(Service));
    }

    [Fact]
    public async Task Watch_FileRewrittenInPlace_IsReloaded()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        using var source = new ConfigFileSource(path, _engine, Fast);
        source.Load();
        source.StartWatching();

        await File.WriteAllTextAsync(path, WebServedBy(_two));

        await Eventually.True(() => source.Status!.Successes == 2, "the in-place write loaded");
        Assert.Equal("two", await Identify(Service));
    }

    [Fact]
    public async Task Watch_NoChangeEvents_PollingStillFindsTheChange()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        // A debounce of an hour: any load within the test comes from the poll, not from an event.
        using var source = new ConfigFileSource(path, _engine, Fast with { Debounce = TimeSpan.FromHours(1), PollInterval = TimeSpan.FromMilliseconds(100) });
        source.Load();
        source.StartWatching();

        _dir.WriteAtomically("services.yaml", WebServedBy(_two));

        await Eventually.True(() => source.Status!.Successes == 2, "the poll loaded the change");
        Assert.Equal("two", await Identify(Service));
    }

    [Fact]
    public async Task Watch_SameContentWrittenAgain_IsNotLoadedAgain()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        var clock = new TimerCountingTimeProvider();
        using var source = new ConfigFileSource(path, _engine, Fast with { PollInterval = TimeSpan.FromMilliseconds(50) }, time: clock);
        source.Load();
        source.StartWatching();

        var polls = clock.PeriodicCallbacks;
        _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        // The debounced load of the write's event, and two polls begun after the write, have read the file.
        await Eventually.True(() => clock.OneShotCallbacks >= 1 && clock.PeriodicCallbacks >= polls + 2, "the debounced load and two polls after the write");

        Assert.Equal(1, source.Status!.Attempts);
    }

    [Fact]
    public async Task Watch_FileDeleted_ReportsItOnceAndKeepsServing()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        var clock = new TimerCountingTimeProvider();
        using var source = new ConfigFileSource(path, _engine, Fast with { PollInterval = TimeSpan.FromMilliseconds(50) }, time: clock);
        source.Load();
        source.StartWatching();

        File.Delete(path);
        var missing = await NextLoad(source, 1);
        // Polls that find the file still missing add no attempts: two begun after that load.
        var polls = clock.PeriodicCallbacks;
        await Eventually.True(() => clock.PeriodicCallbacks >= polls + 2, "two polls after the file went missing");

        Assert.False(missing.Succeeded);
        Assert.Contains($"{path}: cannot read the file", missing.Message, StringComparison.Ordinal);
        Assert.Equal(2, source.Status!.Attempts);
        Assert.Equal("one", await Identify(Service));
    }

    [Fact]
    public async Task Load_AddressTakenByAnotherProgram_RollsBackWholeAndNamesTheServicePort()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        using var source = new ConfigFileSource(path, _engine, Fast);
        Assert.True(source.Load().Succeeded);
        // Another program holds an address (without SO_REUSEPORT, so the engine cannot share it).
        var takenIP = TestAddresses.NextClusterIP();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(takenIP, ServicePort));
        squatter.Listen();

        // The new version moves web to backend two and adds a service on the taken address.
        _dir.WriteAtomically("services.yaml", Manifests.Documents(
            WebServedBy(_two), Manifests.Service("blocked", takenIP, ServicePort)));
        var status = source.Load();

        Assert.False(status.Succeeded);
        Assert.Contains($"{path}: document 3: service port default/blocked:http: cannot serve:", status.Message, StringComparison.Ordinal);
        // Rolled back whole: web still goes to backend one, and "blocked" is not half-served.
        Assert.Equal("one", await Identify(Service));
        Assert.Null(_engine.Applied.Find(new ServicePortId("default", "blocked", "http")));
        Assert.Equal(1, status.ServicePorts);
    }

    [Fact]
    public async Task Watch_AddressFreedAfterBindFailure_UnchangedFileIsRetriedAndServed()
    {
        var takenIP = TestAddresses.NextClusterIP();
        var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(takenIP, ServicePort));
        squatter.Listen();
        var path = _dir.WriteAtomically("services.yaml", Manifests.Documents(
            Manifests.Service("web", takenIP, ServicePort), Manifests.Endpoints("web", "http", _one.EndPoint)));
        using var source = new ConfigFileSource(path, _engine, Fast with
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            RetryInterval = TimeSpan.FromMilliseconds(200),
        });
        Assert.False(source.Load().Succeeded);
        source.StartWatching();

        squatter.Dispose();

        await Eventually.True(() => source.Status!.Succeeded, "the retry served the unchanged file");
        Assert.Equal("one", await Identify(new IPEndPoint(takenIP, ServicePort)));
    }

    [Fact]
    public void Load_TwoServicesOnOneAddress_IsRejectedNamingTheDocument()
    {
        var path = _dir.WriteAtomically("services.yaml", Manifests.Documents(
            Manifests.Service("web", _clusterIP, ServicePort),
            Manifests.Service("copy", _clusterIP, ServicePort)));
        using var source = new ConfigFileSource(path, _engine, Fast);

        var status = source.Load();

        Assert.False(status.Succeeded);
        Assert.Contains($"{path}: document 2: Service \"copy\" is invalid: spec.ports[0].port: Invalid value: {ServicePort}: " +
            $"{_clusterIP}:{ServicePort}/TCP is already served by default/web:http", status.Message, StringComparison.Ordinal);
        Assert.Empty(_engine.Applied.Ports);
    }

    [Fact]
    public void Load_MissingFile_ReportsThePath()
    {
        using var source = new ConfigFileSource(_dir.File("absent.yaml"), _engine, Fast);

        var status = source.Load();

        Assert.False(status.Succeeded);
        Assert.StartsWith($"{_dir.File("absent.yaml")}: cannot read the file", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotUtf8_IsRejected()
    {
        var path = _dir.File("services.yaml");
        File.WriteAllBytes(path, [0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);
        using var source = new ConfigFileSource(path, _engine, Fast);

        var status = source.Load();

        Assert.False(status.Succeeded);
        Assert.Contains("not UTF-8", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_AliasBomb_IsRejectedNamingTheLimitAndKeepsServing()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        using var source = new ConfigFileSource(path, _engine, Fast);
        Assert.True(source.Load().Succeeded);
        _dir.WriteAtomically("services.yaml", YamlAliasBomb.Manifest("Service", "bomb"));

        var status = source.Load();

        Assert.False(status.Succeeded);
        Assert.StartsWith($"{path}: metadata.annotations.lol", status.Message, StringComparison.Ordinal);
        Assert.Contains("the document contains excessive aliasing", status.Message, StringComparison.Ordinal);
        Assert.Equal(("one", "ping"), await RoundTrip(Service, "ping"));
    }

    [Fact]
    public void Load_TargetThrows_IsCountedAsAFailedLoad()
    {
        var path = _dir.WriteAtomically("services.yaml", WebServedBy(_one));
        var target = new ThrowingTarget();
        using var source = new ConfigFileSource(path, target);

        var status = source.Load();

        Assert.False(status.Succeeded);
        Assert.Equal($"{path}: loading failed unexpectedly: InvalidOperationException: a bug", status.Message);
        Assert.Equal(1, status.Failures);
        Assert.Same(status, source.Status);
        // What the engine may have half taken is replaced by the configuration from before (none).
        Assert.Equal(2, target.Applied.Count);
        Assert.Empty(target.Applied[^1].Ports);
    }

    /// <summary>Throws on any snapshot with ports (a bug mid-apply); takes the empty one back.</summary>
    private sealed class ThrowingTarget : ISnapshotTarget
    {
        public List<ProxySnapshot> Applied { get; } = [];

        public ApplyResult Apply(ProxySnapshot snapshot)
        {
            Applied.Add(snapshot);
            return snapshot.Ports.Length > 0 ? throw new InvalidOperationException("a bug") : new ApplyResult(0, 0, 0, []);
        }

        public IEnumerable<string> Describe(ServicePortSpec spec) => [];
    }
}
