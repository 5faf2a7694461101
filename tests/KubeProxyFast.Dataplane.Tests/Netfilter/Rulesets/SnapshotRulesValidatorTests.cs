using System.Net;
using KubeProxyFast.Dataplane.Netfilter.Rulesets;
using KubeProxyFast.Dataplane.Snapshot;
using static KubeProxyFast.Dataplane.Tests.Netfilter.NetfilterSpecs;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Rulesets;

/// <summary>The checks before a sync: whole snapshots first, then only what a change adds, against the keys already held.</summary>
public sealed class SnapshotRulesValidatorTests
{
    private static readonly IPEndPoint Pod = new(IPAddress.Parse("198.18.1.1"), 8080);

    [Fact]
    public void CheckChanges_ChangedPortTakesAKeyAnUnchangedPortHolds_IsRefused()
    {
        var validator = Accepted(SnapshotOf(Tcp("a", "198.19.0.10", 80, Pod), Tcp("b", "198.19.0.11", 80, Pod)));
        var before = SnapshotOf(Tcp("a", "198.19.0.10", 80, Pod), Tcp("b", "198.19.0.11", 80, Pod));
        var after = SnapshotOf(Tcp("a", "198.19.0.10", 80, Pod), Tcp("b", "198.19.0.10", 80, Pod));

        var e = Assert.Throws<ArgumentException>(() => validator.CheckChanges(SnapshotDiff.Compute(before, after)));

        Assert.Contains("default/b:http: 198.19.0.10:80/Tcp is already taken by default/a:http", e.Message);
    }

    [Fact]
    public void CheckChanges_KeyReleasedByARemovedPortAndTakenByANewOne_IsAccepted()
    {
        var before = SnapshotOf(Tcp("a", "198.19.0.10", 80, Pod));
        var validator = Accepted(before);
        var after = SnapshotOf(Tcp("c", "198.19.0.10", 80, Pod));

        validator.Accept(validator.CheckChanges(SnapshotDiff.Compute(before, after)));

        // The index now gives the key to c: a new port d asking for it is refused, naming c.
        var e = Assert.Throws<ArgumentException>(() => validator.CheckChanges(SnapshotDiff.Compute(after, SnapshotOf(Tcp("c", "198.19.0.10", 80, Pod), Tcp("d", "198.19.0.10", 80, Pod)))));
        Assert.Contains("is already taken by default/c:http", e.Message);
    }

    [Fact]
    public void CheckChanges_TwoNewPortsOnOneNodePort_IsRefused()
    {
        var validator = Accepted(ProxySnapshot.Empty);
        var after = SnapshotOf(Tcp("a", "198.19.0.10", 80, Pod) with { NodePort = 30001 }, Tcp("b", "198.19.0.11", 80, Pod) with { NodePort = 30001 });

        var e = Assert.Throws<ArgumentException>(() => validator.CheckChanges(SnapshotDiff.Compute(ProxySnapshot.Empty, after)));

        Assert.Contains("default/b:http: node port 30001/Tcp is already taken by default/a:http", e.Message);
    }

    private static SnapshotRulesValidator Accepted(ProxySnapshot snapshot)
    {
        var validator = new SnapshotRulesValidator();
        validator.Accept(SnapshotRulesValidator.CheckAll(snapshot));
        return validator;
    }
}
