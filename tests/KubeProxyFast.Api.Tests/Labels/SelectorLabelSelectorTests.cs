using KubeProxyFast.Api.Labels;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Tests.Labels;

public class SelectorLabelSelectorTests
{
    [Fact]
    public void FromLabelSelector_Null_ReturnsNothing()
    {
        Selector selector = Selector.FromLabelSelector(null);

        Assert.Same(Selector.Nothing, selector);
        Assert.False(selector.Matches(new Dictionary<string, string>()));
    }

    [Fact]
    public void FromLabelSelector_Empty_ReturnsEverything()
    {
        Assert.Same(Selector.Everything, Selector.FromLabelSelector(new LabelSelector()));
        Assert.Same(Selector.Everything, Selector.FromLabelSelector(new LabelSelector { MatchLabels = [], MatchExpressions = [] }));
    }

    [Fact]
    public void FromLabelSelector_LabelsAndExpressions_AndsThemInCanonicalOrder()
    {
        var labelSelector = new LabelSelector
        {
            MatchLabels = new() { ["app"] = "web" },
            MatchExpressions =
            [
                new() { Key = "tier", Operator = "Exists" },
                new() { Key = "env", Operator = "In", Values = ["qa", "prod"] },
                new() { Key = "legacy", Operator = "DoesNotExist" },
                new() { Key = "zone", Operator = "NotIn", Values = ["b"] },
            ],
        };

        Selector selector = Selector.FromLabelSelector(labelSelector);

        Assert.Equal("app=web,env in (prod,qa),!legacy,tier,zone notin (b)", selector.ToString());
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "qa", ["tier"] = "fe" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "qa", ["tier"] = "fe", ["zone"] = "b" }));
    }

    [Theory]
    [InlineData("Exist")]
    [InlineData("in")]
    [InlineData("Equals")]
    [InlineData("")]
    public void FromLabelSelector_UnknownOperator_ThrowsNamingIt(string op)
    {
        var labelSelector = new LabelSelector { MatchExpressions = [new() { Key = "a", Operator = op, Values = ["b"] }] };

        var ex = Assert.Throws<ArgumentException>(() => Selector.FromLabelSelector(labelSelector));

        Assert.StartsWith($"\"{op}\" is not a valid label selector operator", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("In", null, "for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("NotIn", new string[0], "for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("Exists", new[] { "x" }, "values set must be empty for exists and does not exist")]
    public void FromLabelSelector_WrongValueCount_ThrowsKubernetesMessage(string op, string[]? values, string message)
    {
        var labelSelector = new LabelSelector
        {
            MatchExpressions = [new() { Key = "a", Operator = op, Values = values is null ? null : [.. values] }],
        };

        var ex = Assert.Throws<ArgumentException>(() => Selector.FromLabelSelector(labelSelector));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromLabelSelector_InvalidMatchLabelsKey_ThrowsInvalidLabelKey()
    {
        var labelSelector = new LabelSelector { MatchLabels = new() { ["Bad Key"] = "x" } };

        var ex = Assert.Throws<ArgumentException>(() => Selector.FromLabelSelector(labelSelector));

        Assert.StartsWith("invalid label key \"Bad Key\": name part must consist of", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLabelSelector_EqualityAndSetRequirements_SplitsIntoLabelsAndExpressions()
    {
        LabelSelector? result = Selector.Parse("app=web,x==y,env in (qa,prod),!legacy,tier,zone notin (b)").ToLabelSelector();

        Assert.NotNull(result);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["x"] = "y" }, result.MatchLabels);
        Assert.NotNull(result.MatchExpressions);
        Assert.Collection(
            result.MatchExpressions,
            e => AssertExpression(e, "env", "In", ["prod", "qa"]),
            e => AssertExpression(e, "legacy", "DoesNotExist", null),
            e => AssertExpression(e, "tier", "Exists", null),
            e => AssertExpression(e, "zone", "NotIn", ["b"]));
    }

    [Fact]
    public void ToLabelSelector_Everything_ReturnsEmptyNonNullCollections()
    {
        LabelSelector? result = Selector.Everything.ToLabelSelector();

        Assert.NotNull(result);
        Assert.NotNull(result.MatchLabels);
        Assert.Empty(result.MatchLabels);
        Assert.NotNull(result.MatchExpressions);
        Assert.Empty(result.MatchExpressions);
        Assert.Same(Selector.Everything, Selector.FromLabelSelector(result));
    }

    [Fact]
    public void ToLabelSelector_Nothing_ReturnsNull() =>
        Assert.Null(Selector.Nothing.ToLabelSelector());

    [Fact]
    public void ToLabelSelector_NotEquals_ThrowsLikeKubernetes()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Selector.Parse("app=web,env!=prod").ToLabelSelector());

        Assert.StartsWith("\"!=\" is not a valid label selector operator: \"env!=prod\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("env notin (prod)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app=web,env in (prod,qa),!legacy,tier,zone notin (,b)")]
    [InlineData("a=")]
    [InlineData("")]
    public void ToLabelSelector_ThenFromLabelSelector_RoundTrips(string text)
    {
        Selector selector = Selector.Parse(text);

        Assert.Equal(selector, Selector.FromLabelSelector(selector.ToLabelSelector()));
    }

    [Fact]
    public void ToLabelSelector_DoubleEquals_ComesBackAsEquals() =>
        Assert.Equal("a=b", Selector.FromLabelSelector(Selector.Parse("a==b").ToLabelSelector()).ToString());

    [Fact]
    public void ToLabelSelector_TwoEqualitiesOnOneKey_KeepsBothRequirements()
    {
        Selector selector = Selector.Parse("a=b,a=c");

        LabelSelector? result = selector.ToLabelSelector();

        Assert.NotNull(result);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b" }, result.MatchLabels);
        LabelSelectorRequirement expression = Assert.Single(result.MatchExpressions!);
        AssertExpression(expression, "a", "In", ["c"]);
        Selector back = Selector.FromLabelSelector(result);
        Assert.False(back.Matches(new Dictionary<string, string> { ["a"] = "b" }));
        Assert.False(back.Matches(new Dictionary<string, string> { ["a"] = "c" }));
    }

    private static void AssertExpression(LabelSelectorRequirement expression, string key, string op, string[]? values)
    {
        Assert.Equal(key, expression.Key);
        Assert.Equal(op, expression.Operator);
        Assert.Equal(values, expression.Values?.ToArray());
    }
}
