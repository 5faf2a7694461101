using KubeProxyFast.Storage.Embedded.Log;

namespace KubeProxyFast.Storage.Crash;

/// <summary>
/// The real fsync, which stops the writer for good at one point of the first snapshot so the
/// test kills it there: <c>snapshot-written</c> (snapshot.tmp is fsync'd, not yet renamed),
/// <c>snapshot-renamed</c> (renamed and the directory fsync'd, the log not yet rotated),
/// <c>segment-created</c> (the new segment exists, the old ones not yet deleted); <c>none</c>
/// never stops.
/// </summary>
internal sealed class HangingSync(string hangAt) : IFileSync
{
    private int _directoryFlushesSinceSnapshot = -1;

    public void Flush(FileStream file)
    {
        FileSync.Instance.Flush(file);
        if (file.Name.EndsWith("snapshot.tmp", StringComparison.Ordinal))
        {
            HangIf("snapshot-written");
            _directoryFlushesSinceSnapshot = 0;
        }
    }

    public void FlushDirectory(string path)
    {
        FileSync.Instance.FlushDirectory(path);
        if (_directoryFlushesSinceSnapshot >= 0)
        {
            _directoryFlushesSinceSnapshot++;
            HangIf(_directoryFlushesSinceSnapshot switch { 1 => "snapshot-renamed", 2 => "segment-created", _ => "" });
        }
    }

    private void HangIf(string point)
    {
        if (point == hangAt)
        {
            Console.Out.WriteLine("hang;");
            // The store's writer blocks here until the test's SIGKILL; nothing else writes meanwhile.
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
