using System.Diagnostics.CodeAnalysis;

namespace KubeProxyFast.Linux.Netlink;

/// <summary>Rare failures of the netlink writer and reader, out of line.</summary>
internal static class NetlinkThrowHelper
{
    [DoesNotReturn]
    public static void ThrowAttributeTooLong(int length) =>
        throw new InvalidOperationException($"netlink attribute of {length} bytes exceeds the 65535 a nest can hold");

    [DoesNotReturn]
    public static void ThrowMalformed(string what) =>
        throw new InvalidDataException($"malformed netlink message from the kernel: {what}");
}
