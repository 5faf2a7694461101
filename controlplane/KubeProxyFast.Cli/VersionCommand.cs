using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KubeProxyFast.Cli;

/// <summary><c>kpf version</c>: the build's version, commit, runtime and platform.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of kpf and of the runtime it runs on.");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var (version, commit) = ReadVersion();
            output.WriteLine($"kpf version v{version}");
            output.WriteLine($"git commit: {commit}");
            output.WriteLine($"API version: v1");
            output.WriteLine($"runtime: .NET {Environment.Version}");
            output.WriteLine($"platform: {OperatingSystem()}/{Architecture()}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The SDK stamps InformationalVersion as "0.1.0+&lt;commit sha&gt;" when the build runs in a
    /// git checkout; outside one there is no commit to report.
    /// </summary>
    private static (string Version, string Commit) ReadVersion()
    {
        var informational = typeof(VersionCommand).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? (informational, "unknown")
            : (informational[..plus], informational[(plus + 1)..]);
    }

    private static string OperatingSystem() =>
        System.OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription;

    // Kubernetes names architectures as Go does (amd64, arm64); users compare these strings.
    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
