using System.Diagnostics.CodeAnalysis;

namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>Throws out of line, so that callers on the hot path stay small enough to inline.</summary>
internal static class BalancingThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) => throw new ArgumentException(message, paramName);
}
