using System.Globalization;
using System.Text;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Crash;
using KubeProxyFast.Storage.Embedded;

// Usage: KubeProxyFast.Storage.Crash <data dir> <writers> <snapshot after bytes> <round> <hang at>
// Writes to an embedded store as fast as it can until killed, and prints one line per
// acknowledged commit, "<key> <mod revision> <value>;", only after CommitAsync returned. Every
// writer creates new keys (under /crash/<round>/, so each run of a series writes its own) and,
// in between, updates one key of its own, so the log holds creates and updates and, with a
// small snapshot size, crosses snapshots and segment switches. <hang at> other than "none"
// stops the writer at that point of the first snapshot (HangingSync) and prints "hang;", so
// the test's kill lands there.
var hang = new HangingSync(args[4]);
var options = new EmbeddedStoreOptions
{
    DataDirectory = args[0],
    SnapshotAfterBytes = long.Parse(args[2], CultureInfo.InvariantCulture),
    Sync = hang,
};
var writers = int.Parse(args[1], CultureInfo.InvariantCulture);
var round = args[3];
// Bounded, so a child orphaned by a dead test runner does not write forever.
var stopAt = DateTime.UtcNow.AddSeconds(60);
var store = EmbeddedStore.Open(options);
Console.Out.WriteLine("open;");

await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    var hot = $"/crash/{round}/{w}/hot";
    long hotRevision = 0;
    for (var i = 0; DateTime.UtcNow < stopAt; i++)
    {
        var key = $"/crash/{round}/{w}/{i:D8}";
        var value = $"{key}#{i}";
        var created = await store.CommitAsync(new StoreTxn([StoreCondition.Absent(key)], [new StorePut(key, Encoding.UTF8.GetBytes(value))]));
        Acknowledge(created, key, value);

        value = $"{hot}#{i}";
        var updated = await store.CommitAsync(new StoreTxn([new StoreCondition(hot, hotRevision)], [new StorePut(hot, Encoding.UTF8.GetBytes(value))]));
        hotRevision = updated.Revision;
        Acknowledge(updated, hot, value);
    }
})));
await store.DisposeAsync();

static void Acknowledge(StoreTxnResult result, string key, string value)
{
    if (!result.Succeeded)
    {
        // Every condition is one this writer alone can have made true: a failure is lost state.
        Console.Error.WriteLine($"the commit of {key} failed its condition at revision {result.Revision}");
        Environment.Exit(2);
    }

    Console.Out.WriteLine($"{key} {result.Revision} {value};");
}
