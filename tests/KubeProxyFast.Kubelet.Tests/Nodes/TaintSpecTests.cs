using KubeProxyFast.Kubelet.Nodes;

namespace KubeProxyFast.Kubelet.Tests.Nodes;

public sealed class TaintSpecTests
{
    [Fact]
    public void Parse_KeyValueEffect_GivesTheTaint()
    {
        var taint = TaintSpec.Parse("dedicated=gpu:NoSchedule");
        Assert.Equal(("dedicated", "gpu", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
    }

    [Fact]
    public void Parse_KeyEffect_HasNoValue()
    {
        var taint = TaintSpec.Parse("node-role.kubernetes.io/control-plane:NoExecute");
        Assert.Equal(("node-role.kubernetes.io/control-plane", null, "NoExecute"), (taint.Key, taint.Value, taint.Effect));
    }

    [Theory]
    [InlineData("dedicated=gpu", "invalid taint spec")]
    [InlineData("a:b:NoSchedule", "invalid taint spec")]
    [InlineData("dedicated=gpu:noschedule", "invalid taint effect")]
    [InlineData("dedicated=gpu:", "invalid taint effect")]
    [InlineData("=gpu:NoSchedule", "invalid taint key")]
    [InlineData("bad key=gpu:NoSchedule", "invalid taint key")]
    [InlineData("dedicated=g p u:NoSchedule", "invalid taint value")]
    public void Parse_Malformed_SaysWhyQuotingIt(string spec, string why)
    {
        var e = Assert.Throws<FormatException>(() => TaintSpec.Parse(spec));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{spec}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_SameKeyAndEffectTwice_IsRefused()
    {
        var e = Assert.Throws<FormatException>(() => TaintSpec.ParseAll(["a=1:NoSchedule", "a=2:NoSchedule"]));
        Assert.Contains("duplicated", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, TaintSpec.ParseAll(["a=1:NoSchedule", "a=1:NoExecute"]).Count);
    }
}
