using System.Diagnostics;
using System.Text;
using KubeProxyFast.Api.Serialization;
using KubeProxyFast.Api.Serialization.Yaml;
using KubeProxyFast.Testing;
using Xunit.Abstractions;

namespace KubeProxyFast.Api.Tests.Serialization.Yaml;

/// <summary>YAML that would cost far more than its length is refused early, naming the limit.</summary>
public sealed class YamlLimitsTests(ITestOutputHelper output)
{
    [Fact]
    public void ToJson_AliasBomb_FailsFastInBoundedMemoryNamingTheLimit()
    {
        var bomb = YamlAliasBomb.Manifest("Pod", "bomb");
        YamlDocuments.ToJson("warm: [up]"); // JIT and static state stay out of the measurement
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(bomb));

        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine($"{bomb.Length}-byte alias bomb refused in {clock.Elapsed.TotalMilliseconds:F1} ms, {allocated} bytes allocated: {e.Message}");
        Assert.Contains("excessive aliasing", e.Message, StringComparison.Ordinal);
        Assert.Contains("99%", e.Message, StringComparison.Ordinal);
        // Expanded, the bomb is 387 million strings: gigabytes. Refused after a few thousand
        // nodes it takes about 0.2 MB; 8 MiB leaves room for any parser change, not for expansion.
        Assert.InRange(allocated, 0, 8L * 1024 * 1024);
    }

    [Fact]
    public void ToJson_FewAliases_AreExpanded()
    {
        const string yaml = "base: &b {app: web, tier: front}\nlist: [*b, *b]\nmerged:\n  <<: *b\n  tier: back\n";

        var json = Encoding.UTF8.GetString(Assert.Single(YamlDocuments.ToJson(yaml)));

        Assert.Equal("""{"base":{"app":"web","tier":"front"},"list":[{"app":"web","tier":"front"},{"app":"web","tier":"front"}],"merged":{"app":"web","tier":"back"}}""", json);
    }

    [Fact]
    public void ToJson_AliasesOfALongScalar_StopAtTheJsonLimit()
    {
        // 500 aliases are too few for the alias ratio, which starts counting at 1,000 nodes,
        // but 500 copies of 100 KB are 50 MB of JSON from a 100 KB body.
        var yaml = $"a: &a \"{new string('x', 100_000)}\"\nb: [{string.Join(',', Enumerable.Repeat("*a", 500))}]\n";

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Contains($"the YAML expands to more than {YamlLimits.MinJsonBytes} bytes of JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_DeepFlowNesting_FailsAtTheDepthLimitBeforeReadingTheRest()
    {
        var yaml = new string('[', 1_000_000);

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Equal($"malformed YAML at line 1, column {YamlLimits.MaxDepth + 1}: nested deeper than {YamlLimits.MaxDepth} levels (the limit)", e.Message);
    }

    [Fact]
    public void ToJson_NestingAtTheLimit_IsAccepted()
    {
        var yaml = new string('[', YamlLimits.MaxDepth) + new string(']', YamlLimits.MaxDepth);

        Assert.Equal(yaml, Encoding.UTF8.GetString(Assert.Single(YamlDocuments.ToJson(yaml))));
    }

    [Fact]
    public void ToJson_AliasExpandedBelowTheDepthLimit_FailsNamingWhere()
    {
        var deep = new string('[', YamlLimits.MaxDepth - 1) + new string(']', YamlLimits.MaxDepth - 1);
        var yaml = $"a: &deep {deep}\nb: [*deep]\n";

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Contains($"nested deeper than {YamlLimits.MaxDepth} levels (the limit) where aliases are expanded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_MoreNodesThanTheLimit_FailsNamingIt()
    {
        var yaml = "[" + string.Join(',', Enumerable.Repeat("1", YamlLimits.MaxNodes)) + "]";

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Contains($"more than {YamlLimits.MaxNodes} nodes (the limit)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("&a [*a]", "the alias *a is inside the node it names")]
    [InlineData("a: &a {b: 1, <<: *a}", "the alias *a is inside the node it names")]
    [InlineData("a: &x 1\nb: {<<: *x}", "b: line 2: the merge key << takes a mapping or a list of mappings")]
    [InlineData("a: &x [1]\nb: {<<: *x}", "the merge key << takes a mapping or a list of mappings")]
    [InlineData("a: {<<: [{x: 1}, 2]}", "the merge key << takes a mapping or a list of mappings")]
    [InlineData("a: {<<: null}", "the merge key << takes a mapping or a list of mappings")]
    [InlineData("a: *nowhere", "malformed YAML at line 1, column 4: unknown anchor \"nowhere\"")]
    public void ToJson_BadAliasOrMerge_IsADecodeError(string yaml, string message)
    {
        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson(yaml));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x: &a {k: 1, a: 1}\ny: &b {k: 2, b: 2}\nm: {<<: [*a, *b], k: 3}", """{"a":1,"b":2,"k":3}""")]
    [InlineData("x: &a {k: 1}\ny: &b {k: 2}\nm: {<<: [*a, *b]}", """{"k":1}""")]
    [InlineData("x: &a {k: 1}\ny: &b {<<: *a, k: 2, j: 2}\nm: {<<: *b}", """{"k":2,"j":2}""")]
    [InlineData("x: &a {k: 1}\nm: {k: 0, <<: *a}", """{"k":0}""")]
    public void ToJson_MergeKeys_OwnKeysThenEarlierMergesWin(string yaml, string merged)
    {
        var json = Encoding.UTF8.GetString(YamlDocuments.ToJson(yaml)[0]);

        Assert.EndsWith($"\"m\":{merged}}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_DuplicateKeyInALargeMapping_IsMalformed()
    {
        var keys = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"k{i}: {i}"));

        var e = Assert.Throws<KubeDecodeException>(() => YamlDocuments.ToJson($"{{{keys}, k7: 0}}"));

        Assert.Contains("duplicate key \"k7\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: 007", "{\"a\":7}")]
    [InlineData("a: -0", "{\"a\":0}")]
    [InlineData("a: -0x10", "{\"a\":-16}")]
    [InlineData("a: 0xFFFFFFFFFFFFFFFF", "{\"a\":18446744073709551615}")]
    [InlineData("a: 0x10000000000000000", "{\"a\":\"0x10000000000000000\"}")]
    [InlineData("a: 0o777", "{\"a\":511}")]
    [InlineData("a: 0o8", "{\"a\":\"0o8\"}")]
    [InlineData("a: <b>&é", "{\"a\":\"<b>&é\"}")]
    public void ToJson_Integers_AreCopiedOrBoundedTo64Bits(string yaml, string json)
    {
        Assert.Equal(json, Encoding.UTF8.GetString(Assert.Single(YamlDocuments.ToJson(yaml))));
    }

    [Fact]
    public void ToJson_MillionDigitInteger_IsCopiedExactly()
    {
        // Through BigInteger this took 26 s (quadratic); copied, it is linear.
        var digits = new string('7', 1_000_000);

        var json = Encoding.UTF8.GetString(Assert.Single(YamlDocuments.ToJson($"a: {digits}")));

        Assert.Equal($"{{\"a\":{digits}}}", json);
    }
}
