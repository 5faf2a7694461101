using KubeProxyFast.Api.Coordination;
using KubeProxyFast.Kubelet.Nodes;
using KubeProxyFast.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

public sealed class NodeLeaseTests : NodeApiTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task RenewOnceAsync_NoLease_CreatesItOwnedByTheNode()
    {
        var node = await new NodeRegistration(Client, Description(), TimeProvider.System, NullLogger.Instance).RegisterAsync(CancellationToken.None);
        var time = new FakeTimeProvider(Start);
        await using var lease = new NodeLease(Client, NodeName, 40, TimeSpan.FromSeconds(10), time, NullLogger.Instance);

        await lease.RenewOnceAsync(CancellationToken.None);

        var stored = await Client.GetAsync<Lease>("kube-node-lease", NodeName);
        Assert.Equal(NodeName, stored.Spec!.HolderIdentity);
        Assert.Equal(40, stored.Spec.LeaseDurationSeconds);
        Assert.Equal(Start, stored.Spec.RenewTime);
        var owner = Assert.Single(stored.Metadata.OwnerReferences!);
        Assert.Equal(("v1", "Node", NodeName, node.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
    }

    [Fact]
    public async Task RenewOnceAsync_Later_MovesRenewTime()
    {
        var time = new FakeTimeProvider(Start);
        await using var lease = new NodeLease(Client, NodeName, 40, TimeSpan.FromSeconds(10), time, NullLogger.Instance);
        await lease.RenewOnceAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(10));
        await lease.RenewOnceAsync(CancellationToken.None);

        var stored = await Client.GetAsync<Lease>("kube-node-lease", NodeName);
        Assert.Equal(Start.AddSeconds(10), stored.Spec!.RenewTime);
        Assert.Equal(2, lease.Renewals);
    }

    [Fact]
    public async Task RenewOnceAsync_LeaseMadeBeforeTheNode_GetsItsOwnerOnceTheNodeExists()
    {
        await using var lease = new NodeLease(Client, NodeName, 40, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance);
        await lease.RenewOnceAsync(CancellationToken.None);
        Assert.Null((await Client.GetAsync<Lease>("kube-node-lease", NodeName)).Metadata.OwnerReferences);

        var node = await Client.CreateAsync(Description().ToNode());
        await lease.RenewOnceAsync(CancellationToken.None);

        var owner = Assert.Single((await Client.GetAsync<Lease>("kube-node-lease", NodeName)).Metadata.OwnerReferences!);
        Assert.Equal(node.Metadata.Uid, owner.Uid);
    }

    [Fact]
    public async Task RenewOnceAsync_LeaseChangedBySomeoneElse_RereadsAndRenews()
    {
        var time = new FakeTimeProvider(Start);
        await using var lease = new NodeLease(Client, NodeName, 40, TimeSpan.FromSeconds(10), time, NullLogger.Instance);
        await lease.RenewOnceAsync(CancellationToken.None);
        var other = await Client.GetAsync<Lease>("kube-node-lease", NodeName);
        other.Metadata.Labels = new Dictionary<string, string> { ["touched"] = "yes" };
        await Client.UpdateAsync(other);

        time.Advance(TimeSpan.FromSeconds(10));
        await lease.RenewOnceAsync(CancellationToken.None);

        var stored = await Client.GetAsync<Lease>("kube-node-lease", NodeName);
        Assert.Equal(Start.AddSeconds(10), stored.Spec!.RenewTime);
        Assert.Equal("yes", stored.Metadata.Labels!["touched"]);
    }

    [Fact]
    public async Task Start_RenewsEveryInterval()
    {
        await using var lease = new NodeLease(Client, NodeName, 40, TimeSpan.FromMilliseconds(100), TimeProvider.System, NullLogger.Instance);
        lease.Start();

        await Eventually.True(() => lease.Renewals >= 3, "three renewals", TimeSpan.FromSeconds(10));
        var first = (await Client.GetAsync<Lease>("kube-node-lease", NodeName)).Spec!.RenewTime;
        await Eventually.True(async () => (await Client.GetAsync<Lease>("kube-node-lease", NodeName)).Spec!.RenewTime > first,
            "a later renewal", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Start_LeaseDeleted_IsCreatedAgain()
    {
        await using var lease = new NodeLease(Client, NodeName, 40, TimeSpan.FromMilliseconds(100), TimeProvider.System, NullLogger.Instance);
        lease.Start();
        await Eventually.True(() => lease.Renewals >= 1, "the first renewal", TimeSpan.FromSeconds(10));

        await Client.DeleteAsync<Lease>("kube-node-lease", NodeName);

        await Eventually.True(async () =>
        {
            try
            {
                await Client.GetAsync<Lease>("kube-node-lease", NodeName);
                return true;
            }
            catch (KubeProxyFast.Client.KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }, "the lease made again", TimeSpan.FromSeconds(10));
    }
}
