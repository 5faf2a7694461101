using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>
/// kill -9 of a process writing to an embedded store as fast as it can (KubeProxyFast.Storage.Crash,
/// 32 concurrent writers, snapshots every 64 KB of log): everything it acknowledged must be
/// there after reopening, at the revision it was acknowledged with.
/// </summary>
public sealed class EmbeddedStoreCrashTests : IDisposable
{
    private const int AcksBeforeKill = 6000;

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-crash-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task Open_AfterKill9MidWrite_HasEveryAcknowledgedWrite()
    {
        var acks = new ConcurrentQueue<string>();
        var writer = typeof(EmbeddedStoreCrashTests).Assembly.Location.Replace("KubeProxyFast.Storage.Tests.dll", "KubeProxyFast.Storage.Crash.dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { writer, _data.FullName, "32", (64 << 10).ToString(CultureInfo.InvariantCulture) })
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
                    acks.Enqueue(e.Data);
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
                await Eventually.True(() => acks.Count >= AcksBeforeKill || process.HasExited, $"{AcksBeforeKill} acknowledged writes", TimeSpan.FromSeconds(30));
                Assert.False(process.HasExited, $"the writer exited on its own: {stderr}");
            }
            finally
            {
                process.Kill(); // SIGKILL: no finally blocks, no flush, no dispose in the child
                await process.WaitForExitAsync();
            }
        }

        // Only whole lines count: a line cut off by the kill is not an acknowledgement.
        var acknowledged = acks.Where(l => l.EndsWith(';') && l != "open;").Select(Parse).ToList();
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName });
        var list = await store.ListAsync("/crash/");
        var stored = list.Items.ToDictionary(i => i.Key, i => (Value: Encoding.UTF8.GetString(i.Value.Span), i.ModRevision, i.CreateRevision));

        Assert.True(acknowledged.Count >= AcksBeforeKill, $"{acknowledged.Count} acknowledgements");
        Assert.True(Directory.GetFiles(_data.FullName, "snapshot").Length == 1, "the run crossed a snapshot");
        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Revision).Distinct().Count());
        Assert.True(list.Revision >= acknowledged.Max(a => a.Revision));
        foreach (var group in acknowledged.GroupBy(a => a.Key))
        {
            var last = group.MaxBy(a => a.Revision);
            Assert.True(stored.TryGetValue(group.Key, out var value), $"{group.Key} (acknowledged at {last.Revision}) is missing");
            if (group.Key.EndsWith("/hot", StringComparison.Ordinal))
            {
                // An update after the last acknowledged one may have committed before the kill.
                Assert.True(value.ModRevision >= last.Revision, $"{group.Key} at {value.ModRevision}, acknowledged at {last.Revision}");
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
