using KubeProxyFast.Cli;

namespace KubeProxyFast.Cli.Tests;

public sealed class KpfCommandLineTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Version_PrintsVersionRuntimeAndPlatform()
    {
        var (code, output, error) = Run("version");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Matches(@"^kpf version v\d+\.\d+\.\d+\n", output.Replace("\r", "", StringComparison.Ordinal));
        Assert.Contains($"runtime: .NET {Environment.Version}", output, StringComparison.Ordinal);
        Assert.Contains("platform: linux/", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        var (code, output, _) = Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("version", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_FailsNamingIt()
    {
        var (code, _, error) = Run("frobnicate");

        Assert.NotEqual(0, code);
        Assert.Contains("Unrecognized command or argument 'frobnicate'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFlag_FailsNamingIt()
    {
        var (code, _, error) = Run("version", "--colour=blue");

        Assert.NotEqual(0, code);
        Assert.Contains("--colour=blue", error, StringComparison.Ordinal);
    }
}
