using KubeProxyFast.Api.Labels;

namespace KubeProxyFast.Api.Tests.Labels;

public class RequirementTests
{
    [Theory]
    [InlineData(SelectionOperator.Equals, new[] { "b" }, "a=b")]
    [InlineData(SelectionOperator.DoubleEquals, new[] { "b" }, "a==b")]
    [InlineData(SelectionOperator.NotEquals, new[] { "b" }, "a!=b")]
    [InlineData(SelectionOperator.In, new[] { "c", "b", "c" }, "a in (b,c)")]
    [InlineData(SelectionOperator.NotIn, new[] { "" }, "a notin ()")]
    [InlineData(SelectionOperator.Exists, new string[0], "a")]
    [InlineData(SelectionOperator.DoesNotExist, new string[0], "!a")]
    public void Create_ValidRequirement_PrintsKubernetesForm(SelectionOperator op, string[] values, string expected) =>
        Assert.Equal(expected, Requirement.Create("a", op, values).ToString());

    [Fact]
    public void Create_SetValues_AreSortedAndDistinct() =>
        Assert.Equal(new[] { "a", "b", "c" }, Requirement.Create("k", SelectionOperator.In, "c", "a", "b", "a").Values);

    [Theory]
    [InlineData(SelectionOperator.In)]
    [InlineData(SelectionOperator.NotIn)]
    public void Create_SetOperatorWithoutValues_Throws(SelectionOperator op)
    {
        var ex = Assert.Throws<ArgumentException>(() => Requirement.Create("a", op));

        Assert.StartsWith("for 'in', 'notin' operators, values set can't be empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SelectionOperator.Equals, 0)]
    [InlineData(SelectionOperator.DoubleEquals, 2)]
    [InlineData(SelectionOperator.NotEquals, 2)]
    public void Create_ExactMatchWithoutOneValue_Throws(SelectionOperator op, int count)
    {
        var ex = Assert.Throws<ArgumentException>(() => Requirement.Create("a", op, Enumerable.Repeat("v", count)));

        Assert.StartsWith("exact-match compatibility requires one single value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SelectionOperator.Exists)]
    [InlineData(SelectionOperator.DoesNotExist)]
    public void Create_ExistenceWithValues_Throws(SelectionOperator op)
    {
        var ex = Assert.Throws<ArgumentException>(() => Requirement.Create("a", op, "v"));

        Assert.StartsWith("values set must be empty for exists and does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UndefinedOperator_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Requirement.Create("a", (SelectionOperator)42, "v"));

        Assert.StartsWith("unsupported operator \"42\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SeveralProblems_ListsEveryOne()
    {
        string value = new('v', 64);

        var ex = Assert.Throws<ArgumentException>(() => Requirement.Create("Bad Key", SelectionOperator.Equals, "ok", value));

        Assert.Equal("key", ex.ParamName);
        Assert.Contains("invalid label key \"Bad Key\": name part must consist of alphanumeric characters", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; exact-match compatibility requires one single value; ", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"invalid label value \"{value}\" for key \"Bad Key\": must be no more than 63 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EmptyValue_IsValid() =>
        Assert.Equal(new[] { "" }, Requirement.Create("a", SelectionOperator.Equals, "").Values);

    [Fact]
    public void Matches_NotInWithAbsentKey_IsTrueButInIsFalse()
    {
        var labels = new Dictionary<string, string> { ["other"] = "x" };

        Assert.True(Requirement.Create("a", SelectionOperator.NotIn, "x").Matches(labels));
        Assert.False(Requirement.Create("a", SelectionOperator.In, "x").Matches(labels));
    }

    [Fact]
    public void Equals_SameKeyOperatorAndValueSet_AreEqual()
    {
        Requirement left = Requirement.Create("a", SelectionOperator.In, "x", "y");
        Requirement right = Requirement.Create("a", SelectionOperator.In, "y", "x", "y");

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, Requirement.Create("a", SelectionOperator.NotIn, "x", "y"));
        Assert.NotEqual(left, Requirement.Create("b", SelectionOperator.In, "x", "y"));
        Assert.NotEqual(left, Requirement.Create("a", SelectionOperator.In, "x"));
    }
}
