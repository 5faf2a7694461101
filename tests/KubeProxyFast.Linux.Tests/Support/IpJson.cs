using System.Text.Json;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Linux.Tests.Support;

/// <summary>iproute2 as the independent reader: <c>ip -j -n NS …</c>, parsed.</summary>
internal static class IpJson
{
    /// <summary>The JSON array <c>ip -j -d -n <paramref name="ns"/> <paramref name="args"/></c> prints; throws with its stderr when ip fails.</summary>
    public static JsonElement[] Show(string ns, params string[] args)
    {
        var r = ProcessResult.Run("ip", ["-j", "-d", "-n", ns, .. args]);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip -n {ns} {string.Join(' ', args)}: exit {r.ExitCode}: {r.Stderr}");
        }

        // ip prints nothing (not "[]") for some empty listings.
        return string.IsNullOrWhiteSpace(r.Stdout) ? [] : [.. JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The link <paramref name="name"/> as <c>ip -j -d link show</c> gives it.</summary>
    public static JsonElement Link(string ns, string name) => Show(ns, "link", "show", "dev", name).Single();

    /// <summary>A string property, or null when absent.</summary>
    public static string? Text(this JsonElement e, string name) => e.TryGetProperty(name, out var p) ? p.GetString() : null;
}
