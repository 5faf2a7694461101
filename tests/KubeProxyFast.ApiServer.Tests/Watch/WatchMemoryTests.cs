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
/// watch cache's ring overtakes is ended. Objects are 512 KB (under the 1,507,328-byte object limit).
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
    public async Task Watch_SelectorOverLargeObjects_DecodedObjectsAreNotPinnedByTheRing()
    {
        // A selector watch decodes each event's value and previous value; the ring keeps the raw
        // bytes (within its budget), and must not also keep objects several times their size.
        const int Updates = 40; // 40 MB of values and previous values in the ring
        await using var server = await TestApiServer.StartAsync();
        var first = await Created(server, Events, Event("big", 0));
        await UpdateAsync(server, "big", Updates);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var watch = await WatchReaderBody.OpenAsync(server.Http, Events + "?watch=true&fieldSelector=metadata.name%3Dbig&resourceVersion=" + RV(first));
        for (var i = 0; i < Updates; i++)
        {
            Assert.Equal("MODIFIED", await watch.NextTypeAsync());
        }

        var held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.True(held < 24 * MiB, $"after a selector watch read {Updates} changes of {ObjectBytes / 1024} KB the heap held {held / MiB} MiB more");
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

    /// <summary>
    /// A watch response read through a small fixed buffer, keeping only the start of each line:
    /// this process's heap is what the test measures, so the client must not hold (or pool) the
    /// large lines it reads, as StreamReader and JsonDocument would.
    /// </summary>
    private sealed class WatchReaderBody : IDisposable
    {
        private static readonly byte[] TypePrefix = "{\"type\":\""u8.ToArray();
        private readonly HttpResponseMessage _response;
        private readonly Stream _body;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private readonly byte[] _lineStart = new byte[64];
        private int _offset;
        private int _count;

        private WatchReaderBody(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _body = body;
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
            var kept = 0;
            while (true)
            {
                if (_offset == _count)
                {
                    _offset = 0;
                    _count = await _body.ReadAsync(_buffer, timeout.Token);
                    if (_count == 0)
                    {
                        return null;
                    }
                }

                var end = Array.IndexOf(_buffer, (byte)'\n', _offset, _count - _offset);
                var stop = end < 0 ? _count : end;
                var take = Math.Min(stop - _offset, _lineStart.Length - kept);
                Array.Copy(_buffer, _offset, _lineStart, kept, take);
                kept += take;
                _offset = end < 0 ? _count : end + 1;
                if (end >= 0)
                {
                    var start = _lineStart.AsSpan(0, kept);
                    Assert.True(start.StartsWith(TypePrefix), "not a watch event: " + System.Text.Encoding.UTF8.GetString(start));
                    var type = start[TypePrefix.Length..];
                    return System.Text.Encoding.ASCII.GetString(type[..type.IndexOf((byte)'"')]);
                }
            }
        }

        public void Dispose()
        {
            _body.Dispose();
            _response.Dispose();
        }
    }
}
