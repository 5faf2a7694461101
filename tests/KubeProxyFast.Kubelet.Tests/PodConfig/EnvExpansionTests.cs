using KubeProxyFast.Kubelet.PodConfig;

namespace KubeProxyFast.Kubelet.Tests.PodConfig;

public sealed class EnvExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["VAR_A"] = "A", ["VAR_B"] = "B", ["EMPTY"] = "" };

    private static string Expand(string input) => EnvExpansion.Expand(input, n => Vars.GetValueOrDefault(n));

    // Cases from Kubernetes' expansion semantics (third_party/forked/golang/expansion).
    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_A)___", "___A___")]
    [InlineData("$(VAR_A)-$(VAR_B)", "A-B")]
    [InlineData("$(VAR_A)$(VAR_B)", "AB")]
    [InlineData("$(EMPTY)", "")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("x$(UNKNOWN)y$(VAR_A)", "x$(UNKNOWN)yA")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$$$$(VAR_A)", "$$(VAR_A)")]
    [InlineData("$$", "$")]
    [InlineData("$", "$")]
    [InlineData("abc$", "abc$")]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("$(", "$(")]
    [InlineData("$()", "$()")]
    [InlineData("$)", "$)")]
    [InlineData("$(VAR_A)$", "A$")]
    [InlineData("no references", "no references")]
    [InlineData("$(VAR_A))", "A)")]
    [InlineData("$((VAR_A))", "$((VAR_A))")]
    public void Expand_AsKubernetes(string input, string expected)
    {
        Assert.Equal(expected, Expand(input));
    }

    [Fact]
    public void ExpandAll_CommandAndArgs_UseTheFinalEnvironment()
    {
        var env = new List<KeyValuePair<string, string>> { new("PORT", "8080"), new("HOST", "198.18.0.3") };

        var args = EnvExpansion.ExpandAll(["--listen=$(HOST):$(PORT)", "$(MISSING)", "$$(PORT)"], env);

        Assert.Equal(["--listen=198.18.0.3:8080", "$(MISSING)", "$(PORT)"], args);
    }
}
