namespace KubeProxyFast.Cli.Tests.Roles;

/// <summary>The node controllers' kube-controller-manager flags: bad values fail the command naming the flag.</summary>
public sealed class NodeControllerFlagsTests
{
    [Theory]
    [InlineData("--cluster-cidr", "198.18.0.0", "invalid --cluster-cidr \"198.18.0.0\": not a CIDR")]
    [InlineData("--node-cidr-mask-size", "8", "node CIDR mask size 8 must be between the cluster CIDR's mask size (16) and 32")]
    [InlineData("--node-eviction-rate", "-1", "--node-eviction-rate must not be negative, got -1")]
    [InlineData("--unhealthy-zone-threshold", "1.5", "--unhealthy-zone-threshold must be in (0, 1], got 1.5")]
    [InlineData("--node-monitor-grace-period", "0s", "--node-monitor-grace-period: \"0s\": must be positive")]
    [InlineData("--service-cluster-ip-range", "198.18.0.0", "invalid --service-cluster-ip-range \"198.18.0.0\": not a CIDR")]
    public void ControllerManagerCommand_BadNodeFlag_FailsNamingIt(string flag, string value, string message)
    {
        var (code, error) = Run("controller-manager", "--master", "http://127.0.0.1:1", flag, value);

        Assert.NotEqual(0, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, error.ToString());
    }
}
