using System.Reflection;
using System.Runtime.InteropServices;

namespace KubeProxyFast.ApiServer.Discovery;

/// <summary>
/// The Kubernetes release whose API conventions this server follows, in the one place that
/// <c>/version</c>, discovery and OpenAPI read: kubectl warns when its minor version is more than
/// one away from the server's, so kubectl 1.31 to 1.33 work without a warning against 1.32.
/// Our own version rides in the semver build metadata of <c>gitVersion</c>
/// (<c>v1.32.0+kpf.0.1.0</c>), which kubectl parses and ignores, as k3s does with <c>+k3s1</c>.
/// </summary>
internal static class KubernetesVersion
{
    /// <summary>The major version of the Kubernetes API followed.</summary>
    public const string Major = "1";

    /// <summary>The minor version of the Kubernetes API followed.</summary>
    public const string Minor = "32";

    private const string Patch = "0";

    /// <summary>This build's own version (the assembly's, without the commit).</summary>
    public static string Kpf { get; } = Informational().Version;

    /// <summary>The commit this build was made from, or empty outside a git checkout.</summary>
    public static string Commit { get; } = Informational().Commit;

    /// <summary><c>v1.32.0+kpf.0.1.0</c>: the Kubernetes version, ours as build metadata.</summary>
    public static string GitVersion { get; } = $"v{Major}.{Minor}.{Patch}+kpf.{Kpf}";

    /// <summary>The platform as Go names it (<c>linux/amd64</c>): clients compare these strings.</summary>
    public static string Platform { get; } = "linux/" + RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The SDK stamps InformationalVersion as <c>0.1.0+&lt;commit&gt;</c> in a git checkout.</summary>
    private static (string Version, string Commit) Informational()
    {
        var informational = typeof(KubernetesVersion).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, "") : (informational[..plus], informational[(plus + 1)..]);
    }
}
