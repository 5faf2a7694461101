using System.Globalization;
using System.Text;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;

// Usage: KubeProxyFast.Storage.Crash <data dir> <writers> <snapshot after bytes>
// Writes to an embedded store as fast as it can until killed, and prints one line per
// acknowledged commit, "<key> <mod revision> <value>;", only after CommitAsync returned. Every
// writer creates new keys and, in between, updates one key of its own, so the log holds creates
// and updates and, with a small snapshot size, crosses snapshots and segment switches.
var options = new EmbeddedStoreOptions
{
    DataDirectory = args[0],
    SnapshotAfterBytes = long.Parse(args[2], CultureInfo.InvariantCulture),
};
var writers = int.Parse(args[1], CultureInfo.InvariantCulture);
// Bounded, so a child orphaned by a dead test runner does not write forever.
var stopAt = DateTime.UtcNow.AddSeconds(60);
var store = EmbeddedStore.Open(options);
Console.Out.WriteLine("open;");

await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    var hot = $"/crash/{w}/hot";
    long hotRevision = 0;
    for (var i = 0; DateTime.UtcNow < stopAt; i++)
    {
        var key = $"/crash/{w}/{i:D8}";
        var value = $"{key}#{i}";
        var created = await store.CommitAsync(new StoreTxn([StoreCondition.Absent(key)], [new StorePut(key, Encoding.UTF8.GetBytes(value))]));
        Console.Out.WriteLine($"{key} {created.Revision} {value};");

        value = $"{hot}#{i}";
        var updated = await store.CommitAsync(new StoreTxn([new StoreCondition(hot, hotRevision)], [new StorePut(hot, Encoding.UTF8.GetBytes(value))]));
        hotRevision = updated.Revision;
        Console.Out.WriteLine($"{hot} {updated.Revision} {value};");
    }
})));
await store.DisposeAsync();
