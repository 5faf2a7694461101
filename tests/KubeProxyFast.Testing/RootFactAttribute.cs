using Tmds.Linux;
using Xunit;

namespace KubeProxyFast.Testing;

/// <summary>
/// A fact that needs root (network namespaces, netfilter). It runs whenever the tests run as root,
/// as CI does, and is reported skipped — never silently passed — otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Skips the fact unless the effective user is root.</summary>
    public RootFactAttribute()
    {
        if (LibC.geteuid() != 0)
        {
            Skip = "needs root (network namespaces and netfilter); CI runs as root";
        }
    }
}
