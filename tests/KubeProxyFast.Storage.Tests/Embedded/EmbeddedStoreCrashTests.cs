using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>
/// kill -9, again and again on one data directory, of a process writing to an embedded store
/// as fast as it can (KubeProxyFast.Storage.Crash, 32 concurrent writers, snapshots every 64 KB
/// of log): after every restart, everything acknowledged in every run so far must be there, at
/// the revision it was acknowledged with. Kills land after a random number of acknowledgements
/// and at three points inside a snapshot. (kill -9 keeps the page cache, so it cannot catch a
/// missing fsync: <see cref="EmbeddedStoreFsyncTests"/> does.)
/// </summary>
public sealed class EmbeddedStoreCrashTests : IDisposable
{
    // Where each run is killed: "none" after a random number of acknowledgements, the others
    // where the child's fsync seam stops its writer inside the first snapshot of the run.
    private static readonly string[] Runs = ["none", "snapshot-written", "none", "snapshot-renamed", "none", "segment-created", "none"];

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-crash-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task Open_AfterRepeatedKill9MidWriteAndMidSnapshot_HasEveryAcknowledgedWrite()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledged = new List<(string Key, long Revision, string Value)>();
        for (var run = 0; run < Runs.Length; run++)
        {
            var hangAt = Runs[run];
            var acksBeforeKill = hangAt == "none" ? random.Next(200, 3000) : 0;
            var context = $"run {run} ({hangAt}, {acksBeforeKill} acks), seed {seed}";
            var segmentsBefore = Segments();
            acknowledged.AddRange(await RunAndKillAsync(run, hangAt, acksBeforeKill, context));

            // Where a hang put the kill, the files show it: the kill did land inside the snapshot.
            switch (hangAt)
            {
                case "snapshot-written":
                    Assert.True(File.Exists(Path.Combine(_data.FullName, "snapshot.tmp")), context);
                    break;
                case "snapshot-renamed":
                    // The snapshot took its name; the rotation had not begun, so the segments are the ones the run started with.
                    Assert.True(File.Exists(Path.Combine(_data.FullName, "snapshot")), context);
                    Assert.False(File.Exists(Path.Combine(_data.FullName, "snapshot.tmp")), context);
                    Assert.Equal(segmentsBefore, Segments());
                    break;
                case "segment-created":
                    Assert.True(Directory.GetFiles(_data.FullName, "wal-*.log").Length >= 2, context);
                    break;
            }

            await AssertHasEveryAcknowledgedWriteAsync(acknowledged, context);
        }

        Assert.True(File.Exists(Path.Combine(_data.FullName, "snapshot")), "the runs crossed snapshots");
    }

    private string[] Segments() => [.. Directory.GetFiles(_data.FullName, "wal-*.log").Order(StringComparer.Ordinal)];

    /// <summary>Runs the writer until it acknowledged <paramref name="acksBeforeKill"/> writes or hung where told, kills it, returns what it acknowledged.</summary>
    private async Task<List<(string Key, long Revision, string Value)>> RunAndKillAsync(int run, string hangAt, int acksBeforeKill, string context)
    {
        var lines = new ConcurrentQueue<string>();
        var writer = typeof(EmbeddedStoreCrashTests).Assembly.Location.Replace("KubeProxyFast.Storage.Tests.dll", "KubeProxyFast.Storage.Crash.dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { writer, _data.FullName, "32", (64 << 10).ToString(CultureInfo.InvariantCulture), $"r{run}", hangAt })
        {
            info.ArgumentList.Add(arg);
        }

        var stderr = new StringBuilder();
        using (var process = Process.Start(info)!)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lines.Enqueue(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                Func<bool> due = hangAt == "none" ? () => lines.Count > acksBeforeKill : () => lines.Contains("hang;");
                await Eventually.True(() => due() || process.HasExited, context, TimeSpan.FromSeconds(30));
                Assert.False(process.HasExited, $"{context}: the writer exited on its own: {stderr}");
            }
            finally
            {
                process.Kill(); // SIGKILL: no finally blocks, no flush, no dispose in the child
                await process.WaitForExitAsync();
            }
        }

        // Only whole lines count: a line cut off by the kill is not an acknowledgement.
        return lines.Where(l => l.EndsWith(';') && l is not ("open;" or "hang;")).Select(Parse).ToList();
    }

    private async Task AssertHasEveryAcknowledgedWriteAsync(List<(string Key, long Revision, string Value)> acknowledged, string context)
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName });
        var list = await store.ListAsync("/crash/");
        var stored = list.Items.ToDictionary(i => i.Key, i => (Value: Encoding.UTF8.GetString(i.Value.Span), i.ModRevision, i.CreateRevision));

        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Revision).Distinct().Count());
        Assert.True(list.Revision >= acknowledged.Max(a => a.Revision), context);
        foreach (var group in acknowledged.GroupBy(a => a.Key))
        {
            var last = group.MaxBy(a => a.Revision);
            Assert.True(stored.TryGetValue(group.Key, out var value), $"{context}: {group.Key} (acknowledged at {last.Revision}) is missing");
            if (group.Key.EndsWith("/hot", StringComparison.Ordinal))
            {
                // An update after the last acknowledged one may have committed before the kill.
                Assert.True(value.ModRevision >= last.Revision, $"{context}: {group.Key} at {value.ModRevision}, acknowledged at {last.Revision}");
                Assert.Equal(group.Min(a => a.Revision), value.CreateRevision);
            }
            else
            {
                Assert.Equal((last.Value, last.Revision, last.Revision), value);
            }
        }
    }

    private static (string Key, long Revision, string Value) Parse(string line)
    {
        var parts = line.TrimEnd(';').Split(' ');
        return (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }
}
