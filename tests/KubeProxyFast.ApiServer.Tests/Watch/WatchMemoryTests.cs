using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KubeProxyFast.Testing;
using static KubeProxyFast.ApiServer.Tests.Api.ApiJson;

namespace KubeProxyFast.ApiServer.Tests.Watch;

/// <summary>The heap tests measure this process's managed heap, so nothing else may run beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuring
{
    public const string Name = "heap measuring";
}

/// <summary>
/// Watches replaying the history of large objects, through real HTTP: the managed heap stays near
/// what the store itself holds while clients lag, and returns to it when they go; a watcher the
/// watch cache's ring overtakes is ended. Objects are 512 KB (under the 1 MiB object limit).
/// </summary>
[Collection(HeapMeasuring.Name)]
public sealed class WatchMemoryTests
{
    private const string Events = "/api/v1/namespaces/default/events";
    private const int ObjectBytes = 512 * 1024;
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Watch_ManyLaggingReplaysOfLargeObjects_HeapStaysBoundedAndReturns()
    {
        const int Updates = 120;  // 60 MB of history
        const int Watchers = 6;   // before the fix each replay put the whole history in its response pipe: 360 MB
        await using var server = await TestApiServer.StartAsync();
        var first = await Created(server, Events, Event("big", 0));
        await UpdateAsync(server, "big", Updates);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        var watches = new List<WatchReaderBody>();
        try
        {
            for (var i = 0; i < Watchers; i++)
            {
                var watch = await WatchReaderBody.OpenAsync(server.Http, Events + "?watch=true&resourceVersion=" + RV(first));
                // The first event is out: the server is streaming this replay (the old code flushed only after writing all of it).
                Assert.Equal("MODIFIED", await watch.NextTypeAsync());
                watches.Add(watch);
            }

            // The clients read no further: each watch is as far ahead as the socket lets it be.
            var lagging = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            Console.WriteLine($"lagging {lagging / MiB} MiB");
            Assert.True(lagging < 48 * MiB, $"{Watchers} lagging replays of {Updates} x {ObjectBytes / 1024} KB grew the heap by {lagging / MiB} MiB");
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }

        var after = await Eventually.Value(() => GC.GetTotalMemory(forceFullCollection: true) - baseline < 16 * MiB, true, TimeSpan.FromSeconds(10));
        var left = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.True(after, $"after the watches ended the heap stayed {left / MiB} MiB above what it was before them");
    }

    [Fact]
    public async Task Watch_RingOvertakesALaggingWatcher_StreamEnds()
    {
        const int Updates = 60; // 30 MB: more than the 4 MiB ring plus what the sockets buffer
        await using var server = await TestApiServer.StartAsync(options: new ApiServerOptions
        {
            ServiceClusterIpRange = TestApiServer.ServiceClusterIpRange,
            WatchCacheBytes = 4 * MiB,
        });
        var created = await Created(server, Events, Event("big", 0));
        using var watch = await WatchReaderBody.OpenAsync(server.Http, Events + "?watch=true&resourceVersion=" + RV(created));

        await UpdateAsync(server, "big", Updates);
        var received = 0;
        while (await watch.NextTypeOrEndAsync() is not null)
        {
            received++;
            Assert.True(received < Updates, "the lagging watcher received every change instead of being ended");
        }

        Assert.InRange(received, 0, Updates - 1);
    }

    private static async Task UpdateAsync(TestApiServer server, string name, int updates)
    {
        for (var i = 1; i <= updates; i++)
        {
            var response = await server.PutJsonAsync(Events + "/" + name, Event(name, i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>An Event whose message is <see cref="ObjectBytes"/> long and differs per <paramref name="version"/>.</summary>
    private static string Event(string name, int version) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = "p", ["namespace"] = "default" },
        ["reason"] = "Large",
        ["message"] = version.ToString(CultureInfo.InvariantCulture) + new string('x', ObjectBytes),
    }.ToJsonString();

    /// <summary>A watch response read one line at a time, nothing buffered ahead beyond the reader's own block.</summary>
    private sealed class WatchReaderBody : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private WatchReaderBody(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _reader = new StreamReader(body);
        }

        public static async Task<WatchReaderBody> OpenAsync(HttpClient http, string path)
        {
            var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new WatchReaderBody(response, await response.Content.ReadAsStreamAsync());
        }

        public async Task<string> NextTypeAsync() => await NextTypeOrEndAsync() ?? throw new EndOfStreamException("the watch ended");

        /// <summary>The next event's type, or null when the server ended the stream; fails after 10 s.</summary>
        public async Task<string?> NextTypeOrEndAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var line = await _reader.ReadLineAsync(timeout.Token);
            return line is null ? null : System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("type").GetString();
        }

        public void Dispose()
        {
            _reader.Dispose();
            _response.Dispose();
        }
    }
}
