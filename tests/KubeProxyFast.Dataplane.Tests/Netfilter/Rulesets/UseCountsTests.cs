using KubeProxyFast.Dataplane.Netfilter.Rulesets;

namespace KubeProxyFast.Dataplane.Tests.Netfilter.Rulesets;

public sealed class UseCountsTests
{
    [Fact]
    public void Apply_LastUseReleasedAndFirstUseAdded_ReportsExactlyThose()
    {
        var counts = new UseCounts<string>();
        counts.Reset(["a", "a", "b"]);

        var (gone, added) = counts.Apply(released: ["a", "b"], used: ["c", "b"]);

        // "a" keeps one use; "b" is released and used again in the same change: neither moves.
        Assert.Empty(gone);
        Assert.Equal(["c"], added);

        (gone, added) = counts.Apply(released: ["a"], used: []);
        Assert.Equal(["a"], gone);
        Assert.Empty(added);
        Assert.Equal(["b", "c"], counts.InUse.Order());
    }
}
