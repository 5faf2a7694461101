using KubeProxyFast.Api.Labels;

namespace KubeProxyFast.Api.Tests.Labels;

public class SelectorParseTests
{
    [Theory]
    [InlineData("a=b", SelectionOperator.Equals, new[] { "b" }, "a=b")]
    [InlineData("a==b", SelectionOperator.DoubleEquals, new[] { "b" }, "a==b")]
    [InlineData("a!=b", SelectionOperator.NotEquals, new[] { "b" }, "a!=b")]
    [InlineData("a in (c,b)", SelectionOperator.In, new[] { "b", "c" }, "a in (b,c)")]
    [InlineData("a notin (c,b)", SelectionOperator.NotIn, new[] { "b", "c" }, "a notin (b,c)")]
    [InlineData("a", SelectionOperator.Exists, new string[0], "a")]
    [InlineData("!a", SelectionOperator.DoesNotExist, new string[0], "!a")]
    public void Parse_EachOperator_BuildsRequirementAndPrintsCanonically(
        string text, SelectionOperator op, string[] values, string canonical)
    {
        Selector selector = Selector.Parse(text);

        Requirement requirement = Assert.Single(selector.Requirements);
        Assert.Equal("a", requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal(values, requirement.Values);
        Assert.Equal(canonical, selector.ToString());
    }

    [Theory]
    [InlineData("  a = b  ", "a=b")]
    [InlineData("a\t==\tb", "a==b")]
    [InlineData("a !=b", "a!=b")]
    [InlineData("\rx", "x")]
    [InlineData("! x", "!x")]
    [InlineData("foo  in\t (abc)", "foo in (abc)")]
    [InlineData("x notin\n (abc)", "x notin (abc)")]
    [InlineData("x  notin\t\t(abc , def )", "x notin (abc,def)")]
    [InlineData("x in( a ,b )", "x in (a,b)")]
    [InlineData(" a , b ", "a,b")]
    [InlineData("a=b ,c!=d\r\n", "a=b,c!=d")]
    public void Parse_WhitespaceAroundTokens_IsIgnored(string text, string canonical) =>
        Assert.Equal(canonical, Selector.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void Parse_EmptyOrBlank_ReturnsEverything(string text)
    {
        Selector selector = Selector.Parse(text);

        Assert.Same(Selector.Everything, selector);
        Assert.True(selector.IsEmpty);
        Assert.Empty(selector.Requirements);
    }

    [Fact]
    public void Parse_MixedRequirements_SortsByKeyAndValues()
    {
        Selector selector = Selector.Parse("tier, !legacy, env in (qa, prod), app=web");

        Assert.Equal("app=web,env in (prod,qa),!legacy,tier", selector.ToString());
        Assert.Equal(["app", "env", "legacy", "tier"], selector.Requirements.Select(r => r.Key));
        Assert.False(selector.IsEmpty);
    }

    [Fact]
    public void Parse_SameKeyTwice_OrdersByOperatorThenValues()
    {
        Selector selector = Selector.Parse("z,z!=a,z=b,z in (c)");

        Assert.Equal("z=b,z!=a,z in (c),z", selector.ToString());
    }

    [Theory]
    [InlineData("a=", SelectionOperator.Equals)]
    [InlineData("a==", SelectionOperator.DoubleEquals)]
    [InlineData("a!=", SelectionOperator.NotEquals)]
    [InlineData("a= ,b", SelectionOperator.Equals)]
    public void Parse_ExactMatchWithoutValue_UsesEmptyValue(string text, SelectionOperator op)
    {
        Requirement requirement = Selector.Parse(text).Requirements[0];

        Assert.Equal(op, requirement.Operator);
        Assert.Equal(new[] { "" }, requirement.Values);
    }

    [Theory]
    [InlineData("x in ()", new[] { "" }, "x in ()")]
    [InlineData("x notin ( )", new[] { "" }, "x notin ()")]
    [InlineData("x in (abc,)", new[] { "", "abc" }, "x in (,abc)")]
    [InlineData("x in (,abc)", new[] { "", "abc" }, "x in (,abc)")]
    [InlineData("x in (a,,)", new[] { "", "a" }, "x in (,a)")]
    [InlineData("x in (a,,a,,a,,)", new[] { "", "a" }, "x in (,a)")]
    [InlineData("x in (abc,abc)", new[] { "abc" }, "x in (abc)")]
    [InlineData("x notin (abc,,def)", new[] { "", "abc", "def" }, "x notin (,abc,def)")]
    public void Parse_SetWithEmptyOrRepeatedValues_NormalizesLikeKubernetes(string text, string[] values, string canonical)
    {
        Selector selector = Selector.Parse(text);

        Assert.Equal(values, selector.Requirements[0].Values);
        Assert.Equal(canonical, selector.ToString());
    }

    [Fact]
    public void Parse_KeywordsInValuePositions_AreIdentifiers()
    {
        Assert.Equal(new[] { "in", "notin", "x", "y", "z" }, Selector.Parse("a in (x,y,notin, z,in)").Requirements[0].Values);
        Assert.Equal("notin=in", Selector.Parse("notin=in").ToString());
        Assert.Equal(SelectionOperator.Exists, Selector.Parse("in").Requirements[0].Operator);
    }

    [Theory]
    [InlineData("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash", SelectionOperator.Exists, new string[0])]
    [InlineData("0.1.2.domain/99 notin (198.18.100.1, tick.tack.clock)", "0.1.2.domain/99", SelectionOperator.NotIn, new[] { "198.18.100.1", "tick.tack.clock" })]
    [InlineData("app.kubernetes.io/name=My_App-1.0", "app.kubernetes.io/name", SelectionOperator.Equals, new[] { "My_App-1.0" })]
    public void Parse_PrefixedKeysAndDottedValues_AreAccepted(string text, string key, SelectionOperator op, string[] values)
    {
        Requirement requirement = Assert.Single(Selector.Parse(text).Requirements);

        Assert.Equal(key, requirement.Key);
        Assert.Equal(op, requirement.Operator);
        Assert.Equal(values, requirement.Values);
    }

    [Theory]
    [InlineData("app=web,env in (qa,prod),!legacy,tier")]
    [InlineData("x notin (abc,,def),bar,z in (),w")]
    [InlineData("a==b,a!=,c in (,x)")]
    [InlineData("example.com/k in (in, notin), !example.com/gone")]
    [InlineData("")]
    public void Parse_CanonicalText_RoundTripsToEqualSelector(string text)
    {
        Selector selector = Selector.Parse(text);
        string canonical = selector.ToString();

        Selector reparsed = Selector.Parse(canonical);

        Assert.Equal(selector, reparsed);
        Assert.Equal(selector.GetHashCode(), reparsed.GetHashCode());
        Assert.Equal(canonical, reparsed.ToString());
    }

    [Fact]
    public void Equals_DifferentOrderSameRequirements_AreEqual() =>
        Assert.Equal(Selector.Parse("x=a,a=x,b in (2,1)"), Selector.Parse("b in (1,2) , a=x , x=a"));

    [Theory]
    [InlineData("a=b", "a==b")]
    [InlineData("a=b", "a=c")]
    [InlineData("a in (b)", "a in (b,c)")]
    [InlineData("a", "!a")]
    [InlineData("a", "a,b")]
    public void Equals_DifferentRequirements_AreNotEqual(string left, string right) =>
        Assert.NotEqual(Selector.Parse(left), Selector.Parse(right));

    [Fact]
    public void TryParse_ValidText_ReturnsSelector()
    {
        Assert.True(Selector.TryParse("a in (b)", out Selector? selector));
        Assert.Equal("a in (b)", selector.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a in (b")]
    [InlineData("Bad$Key")]
    public void TryParse_InvalidText_ReturnsFalseWithoutThrowing(string? text)
    {
        Assert.False(Selector.TryParse(text, out Selector? selector));
        Assert.Null(selector);
    }

    [Fact]
    public void FromSet_Map_BuildsSortedEqualityRequirements()
    {
        var labels = new Dictionary<string, string> { ["tier"] = "frontend", ["app"] = "web", ["empty"] = "" };

        Selector selector = Selector.FromSet(labels);

        Assert.Equal("app=web,empty=,tier=frontend", selector.ToString());
        Assert.All(selector.Requirements, r => Assert.Equal(SelectionOperator.Equals, r.Operator));
    }

    [Fact]
    public void FromSet_NullOrEmpty_ReturnsEverything()
    {
        Assert.Same(Selector.Everything, Selector.FromSet(null));
        Assert.Same(Selector.Everything, Selector.FromSet(new Dictionary<string, string>()));
    }

    [Fact]
    public void FromSet_InvalidKey_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => Selector.FromSet(new Dictionary<string, string> { ["Bad Key"] = "x" }));

        Assert.StartsWith("invalid label key \"Bad Key\": name part must consist of", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRequirements_AnyOrder_SortsAndEqualsParsedSelector()
    {
        Selector selector = Selector.FromRequirements(
        [
            Requirement.Create("b", SelectionOperator.Exists),
            Requirement.Create("a", SelectionOperator.NotIn, "y", "x"),
        ]);

        Assert.Equal("a notin (x,y),b", selector.ToString());
        Assert.Equal(Selector.Parse("b,a notin (x,y)"), selector);
        Assert.Same(Selector.Everything, Selector.FromRequirements([]));
    }

    [Fact]
    public void Nothing_IsNotEmptyAndDiffersFromEverything()
    {
        Assert.True(Selector.Nothing.MatchesNothing);
        Assert.False(Selector.Nothing.IsEmpty);
        Assert.False(Selector.Everything.MatchesNothing);
        Assert.NotEqual(Selector.Everything, Selector.Nothing);
        Assert.Equal("", Selector.Nothing.ToString());
    }
}
