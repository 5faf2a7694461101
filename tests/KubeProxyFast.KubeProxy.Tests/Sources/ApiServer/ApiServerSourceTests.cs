using System.Globalization;
using System.Net;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.KubeProxy.Pipeline;
using KubeProxyFast.KubeProxy.Sources.ApiServer;
using KubeProxyFast.KubeProxy.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.KubeProxy.Tests.Sources.ApiServer;

/// <summary>The apiserver source against a real in-process apiserver, through a pipeline with no minimum period.</summary>
public sealed class ApiServerSourceTests : IAsyncLifetime
{
    private readonly RecordingTarget _target = new();
    private TestApiServer _server = null!;
    private KubeClient _client = null!;
    private SharedInformerFactory _informers = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new KubeClient(_server.Url);
        _informers = new SharedInformerFactory(_client);
    }

    public async Task DisposeAsync()
    {
        await _informers.DisposeAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Sync_ServiceAndEndpointsThenChanges_SnapshotFollowsTheApiServer()
    {
        var service = await _client.CreateAsync(Objects.Service("web", null, Objects.Port("http", 80)));
        await _client.CreateAsync(Objects.Endpoints("web", Objects.Subset(["198.18.1.1"], [Objects.EndpointPort("http", 8080)], notReady: ["198.18.1.9"])));
        await using var pipeline = await StartAsync();

        // Beside the apiserver's own default/kubernetes, as in every cluster.
        var port = Assert.Single(_target.Last.Ports, p => p.Id.ToString() == "default/web:http");
        Assert.Equal(IPAddress.Parse(service.Spec!.ClusterIP!), port.ClusterIP);
        Assert.Equal("198.18.1.1:8080", Assert.Single(port.Endpoints).ToString());

        await _client.UpdateAsync(Objects.Endpoints("web", Objects.Subset(["198.18.1.2", "198.18.1.3"], [Objects.EndpointPort("http", 8080)])));
        await Eventually.True(() => _target.Last.Ports.Any(p => p.Id.ToString() == "default/web:http" && p.Endpoints.Length == 2), "the endpoints update applied");

        await _client.DeleteAsync<Service>("default", "web");
        await Eventually.True(() => !_target.Last.Ports.Any(p => p.Id.ToString() == "default/web:http"), "the deleted service removed");
        Assert.True(pipeline.Source.Status!.Succeeded);
    }

    [Fact]
    public async Task Sync_EndpointsWithTriggerTime_NetworkProgrammingCountsFromTheTriggerTime()
    {
        await _client.CreateAsync(Objects.Service("web", null, Objects.Port("http", 80)));
        await using var pipeline = await StartAsync();
        var before = pipeline.Metrics.NetworkProgramming.Count;

        // Go's RFC3339Nano, nine digits. The endpoints controller stamps when the pod change behind the update happened: 3 s ago here.
        var endpoints = Objects.Endpoints("web", Objects.Subset(["198.18.1.1"], [Objects.EndpointPort("http", 8080)]));
        endpoints.Metadata.Annotations = new()
        {
            [ServiceChangeTracker.LastChangeTriggerTime] = DateTimeOffset.UtcNow.AddSeconds(-3).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture),
        };
        var latencies = new List<TimeSpan>();
        pipeline.Metrics.ChangeApplied = latency =>
        {
            lock (latencies)
            {
                latencies.Add(latency);
            }
        };
        await _client.CreateAsync(endpoints);

        await Eventually.True(() => pipeline.Metrics.NetworkProgramming.Count > before, "the change observed");
        lock (latencies)
        {
            var latency = Assert.Single(latencies);
            Assert.InRange(latency, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));
        }

        var text = new System.Text.StringBuilder();
        pipeline.Metrics.Write(text);
        // 3 s and more: not in the buckets up to 2 s, in those from 3 s (kube-proxy's bounds).
        Assert.Contains("kpf_proxy_network_programming_duration_seconds_bucket{le=\"2\"} 0\n", text.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-06T12:00:00.123456789Z", 1234567)]
    [InlineData("2026-12-06T12:00:00Z", 0)]
    [InlineData("2026-12-06T12:00:00.5+01:00", 5000000)]
    public void TriggerTime_Rfc3339Nano_ReadsToTheTick(string text, long fractionTicks)
    {
        var endpoints = Objects.Endpoints("web");
        endpoints.Metadata.Annotations = new() { [ServiceChangeTracker.LastChangeTriggerTime] = text };

        var time = ServiceChangeTracker.TriggerTime(endpoints);

        Assert.NotNull(time);
        Assert.Equal(fractionTicks, time.Value.Ticks % TimeSpan.TicksPerSecond);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    public void TriggerTime_Unreadable_IsNull(string text)
    {
        var endpoints = Objects.Endpoints("web");
        endpoints.Metadata.Annotations = new() { [ServiceChangeTracker.LastChangeTriggerTime] = text };

        Assert.Null(ServiceChangeTracker.TriggerTime(endpoints));
    }

    private async Task<ProxyPipeline> StartAsync()
    {
        var source = new ApiServerSource(_informers, _target, _server.Url.ToString());
        _informers.Start();
        await source.StartAsync(CancellationToken.None);
        source.Sync();
        var pipeline = new ProxyPipeline(source, new ProxyPipelineOptions { MinSyncPeriod = TimeSpan.Zero });
        pipeline.Start();
        return pipeline;
    }
}
