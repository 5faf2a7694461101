
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
        // Each command is a line of the "Commands:" section indented by two spaces (wrapped
        // descriptions are indented further).
        var commands = output.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .SkipWhile(line => line != "Commands:").Skip(1)
            .TakeWhile(line => line.Length > 0)
            .Where(line => line.StartsWith("  ", StringComparison.Ordinal) && line[2] != ' ')
            .Select(line => line.AsSpan(2).ToString().Split(' ')[0])
            .Order(StringComparer.Ordinal);
        Assert.Equal(["agent", "controller-manager", "kubelet", "proxy", "scheduler", "server", "version"], commands);
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
