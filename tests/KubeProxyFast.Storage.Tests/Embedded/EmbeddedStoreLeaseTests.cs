using System.Text;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Storage.Tests.Embedded;

/// <summary>Leases across a restart: rebuilt from the log or the snapshot, each with its whole time to live again (as etcd's).</summary>
public sealed class EmbeddedStoreLeaseTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("kpf-embedded-");

    public void Dispose() => _data.Delete(recursive: true);

    [Theory]
    [InlineData(64L << 20)] // the log only
    [InlineData(1L)] // a snapshot after every commit
    public async Task Reopen_LeasedKeys_ExpireAfterTheirWholeTtlAgain(long snapshotAfterBytes)
    {
        var before = new FakeTimeProvider();
        await using (var store = Open(before, snapshotAfterBytes))
        {
            var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(60));
            await store.CommitAsync(new StoreTxn([], [new StorePut("/e/a", "a"u8.ToArray(), lease), new StorePut("/e/b", "b"u8.ToArray())]));
            await store.CommitAsync(new StoreTxn([], [new StorePut("/e/c", "c"u8.ToArray(), lease)]));
            before.Advance(TimeSpan.FromSeconds(50));
        }

        var after = new FakeTimeProvider();
        await using var reopened = Open(after, snapshotAfterBytes);
        Assert.NotEqual(0, (await reopened.GetAsync("/e/a"))!.Lease);

        after.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(3, (await reopened.ListAsync("/e/")).Items.Count);
        after.Advance(TimeSpan.FromSeconds(2));

        await Eventually.True(async () => (await reopened.ListAsync("/e/")).Items.Count == 1, "the leased keys to expire", Timeout);
        Assert.Equal("b", Encoding.UTF8.GetString((await reopened.GetAsync("/e/b"))!.Value.Span));
        // A new lease does not take the id of one recovered.
        Assert.NotEqual((await reopened.GetAsync("/e/b"))!.Lease, await reopened.GrantLeaseAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Expiry_KeyMovedToAnotherLease_StaysUntilThatOneExpires()
    {
        var clock = new FakeTimeProvider();
        await using var store = Open(clock, 64L << 20);
        var shortLease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(1));
        var longLease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(10));
        await store.CommitAsync(new StoreTxn([], [new StorePut("/e/a", "a"u8.ToArray(), shortLease), new StorePut("/e/b", "b"u8.ToArray(), shortLease)]));
        await store.CommitAsync(new StoreTxn([], [new StorePut("/e/b", "b2"u8.ToArray(), longLease)]));

        clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.True(async () => await store.GetAsync("/e/a") is null, "the first lease to expire", Timeout);
        Assert.Equal(longLease, (await store.GetAsync("/e/b"))!.Lease);

        clock.Advance(TimeSpan.FromSeconds(9));
        await Eventually.True(async () => await store.GetAsync("/e/b") is null, "the second lease to expire", Timeout);
    }

    private EmbeddedStore Open(TimeProvider clock, long snapshotAfterBytes) =>
        EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _data.FullName, Time = clock, SnapshotAfterBytes = snapshotAfterBytes });
}
