using KubeProxyFast.Api.Labels;

namespace KubeProxyFast.Api.Tests.Labels;

public class SelectorMatchTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["env"] = "prod", ["empty"] = "" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("missing=web", false)]
    [InlineData("app!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=web", true)]
    [InlineData("env in (qa,prod)", true)]
    [InlineData("env in (qa,dev)", false)]
    [InlineData("missing in (qa,prod)", false)]
    [InlineData("env notin (qa,dev)", true)]
    [InlineData("env notin (qa,prod)", false)]
    [InlineData("missing notin (qa,prod)", true)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("empty=", true)]
    [InlineData("empty", true)]
    [InlineData("empty in ()", true)]
    [InlineData("app in ()", false)]
    [InlineData("missing=", false)]
    [InlineData("empty notin (,x)", false)]
    public void Matches_SingleRequirement_FollowsKubernetesSemantics(string text, bool expected) =>
        Assert.Equal(expected, Selector.Parse(text).Matches(Web));

    [Theory]
    [InlineData("app=web,env=prod", true)]
    [InlineData("app=web,env=qa", false)]
    [InlineData("app=db,env=prod", false)]
    [InlineData("app=web,env in (prod),!legacy,empty", true)]
    [InlineData("app=web,!env", false)]
    public void Matches_SeveralRequirements_RequiresAll(string text, bool expected) =>
        Assert.Equal(expected, Selector.Parse(text).Matches(Web));

    [Theory]
    [InlineData("a!=b", true)]
    [InlineData("a notin (b)", true)]
    [InlineData("!a", true)]
    [InlineData("a=b", false)]
    [InlineData("a in (b)", false)]
    [InlineData("a", false)]
    [InlineData("", true)]
    public void Matches_NullLabels_BehavesAsNoLabels(string text, bool expected)
    {
        Selector selector = Selector.Parse(text);

        Assert.Equal(expected, selector.Matches(null));
        Assert.Equal(expected, selector.Matches(new Dictionary<string, string>()));
    }

    [Fact]
    public void Matches_Everything_MatchesAnyLabels()
    {
        Assert.True(Selector.Everything.Matches(Web));
        Assert.True(Selector.Everything.Matches(null));
    }

    [Fact]
    public void Matches_Nothing_MatchesNoLabelsAtAll()
    {
        Assert.False(Selector.Nothing.Matches(Web));
        Assert.False(Selector.Nothing.Matches(new Dictionary<string, string>()));
        Assert.False(Selector.Nothing.Matches(null));
    }

    [Fact]
    public void Matches_IsCaseSensitive()
    {
        Assert.False(Selector.Parse("app=Web").Matches(Web));
        Assert.False(Selector.Parse("App=web").Matches(Web));
    }

    [Theory]
    [InlineData("v0", true)]
    [InlineData("v13", true)]
    [InlineData("v19", true)]
    [InlineData("v2", true)]
    [InlineData("v20", false)]
    [InlineData("v", false)]
    [InlineData("w", false)]
    [InlineData("a", false)]
    public void Matches_LargeValueSet_FindsExactlyTheListedValues(string value, bool expected)
    {
        // More values than the linear-scan cut-off, so this exercises the binary search.
        Selector selector = Selector.Parse("k in (" + string.Join(",", Enumerable.Range(0, 20).Select(i => "v" + i)) + ")");
        Selector negated = Selector.Parse("k notin (" + string.Join(",", Enumerable.Range(0, 20).Select(i => "v" + i)) + ")");
        var labels = new Dictionary<string, string> { ["k"] = value };

        Assert.Equal(expected, selector.Matches(labels));
        Assert.Equal(!expected, negated.Matches(labels));
    }

    [Fact]
    public void Matches_FromSetSelector_MatchesSupersetsOnly()
    {
        Selector selector = Selector.FromSet(new Dictionary<string, string> { ["app"] = "web", ["env"] = "prod" });

        Assert.True(selector.Matches(Web));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
    }

    [Fact]
    public void Matches_HotPath_DoesNotAllocate()
    {
        Selector selector = Selector.Parse("app=web,env in (qa,prod,dev),!legacy,empty,tier notin (db),x!=y");
        IReadOnlyDictionary<string, string> labels = Web;
        Assert.True(selector.Matches(labels));

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 1000; i++)
        {
            all &= selector.Matches(labels);
            all &= !selector.Matches(null);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(all);
        Assert.Equal(0, allocated);
    }
}
