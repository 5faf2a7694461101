using System.Diagnostics;
using System.Net.Sockets;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Kubelet.Tests.EndToEnd.Support;

/// <summary>
/// The images the end-to-end tests run: busybox-static in a one-layer image (built with umoci, as
/// PLATFORM.md describes), as a docker-archive tar for <c>&lt;data-dir&gt;/agent/images/</c> and pushed to
/// a real registry (Debian's docker-registry) inside the node's namespace on 127.0.0.1:5000.
/// </summary>
/// <remarks>
/// Stand-in until the runtime helper's TestImages/TestRegistry fixtures (built with the product's
/// OciImageArchive) land in KubeProxyFast.Testing/Containerd; then these are to be used instead.
/// </remarks>
internal static class E2eImages
{
    /// <summary>The registry's address inside a node's namespace.</summary>
    public const string Registry = "127.0.0.1:5000";

    /// <summary>The image only the archive in agent/images/ carries (no registry serves kpf.test).</summary>
    public const string Offline = "kpf.test/busybox:offline";

    /// <summary>The image pushed to the registry.</summary>
    public const string Pushed = Registry + "/kpf/busybox:1";

    /// <summary>An image the registry does not have.</summary>
    public const string Missing = Registry + "/kpf/missing:1";

    /// <summary>registries.yaml (k3s' shape) making the test registry a plain-HTTP one.</summary>
    public const string RegistryConfig = """
        mirrors:
          "127.0.0.1:5000":
            endpoint:
              - "http://127.0.0.1:5000"
        """;

    /// <summary>Builds the busybox image as an OCI layout in <paramref name="directory"/>/oci (tag busybox) and the docker-archive <paramref name="directory"/>/busybox.tar tagged <see cref="Offline"/>; returns the archive's path.</summary>
    public static string Build(string directory)
    {
        var oci = Path.Combine(directory, "oci");
        var bundle = Path.Combine(directory, "bundle");
        Run("umoci", "init", "--layout", oci);
        Run("umoci", "new", "--image", oci + ":busybox");
        Run("umoci", "unpack", "--image", oci + ":busybox", bundle);
        var bin = Directory.CreateDirectory(Path.Combine(bundle, "rootfs", "bin")).FullName;
        Directory.CreateDirectory(Path.Combine(bundle, "rootfs", "tmp"));
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in Run("/bin/busybox", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet != "busybox")
            {
                File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
            }
        }

        Run("umoci", "config", "--image", oci + ":busybox", "--config.env", "PATH=/bin", "--config.cmd", "sh");
        Run("umoci", "repack", "--image", oci + ":busybox", bundle);
        var archive = Path.Combine(directory, "busybox.tar");
        Run("skopeo", "copy", "-q", $"oci:{oci}:busybox", $"docker-archive:{archive}:{Offline}");
        return archive;
    }

    /// <summary>Starts docker-registry in <paramref name="ns"/> on <see cref="Registry"/> and pushes <see cref="Pushed"/> from the layout <see cref="Build"/> made.</summary>
    public static async Task<Process> StartRegistryAsync(NetworkNamespace ns, string directory)
    {
        var config = Path.Combine(directory, "registry.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "registry")}
            http:
              addr: {Registry}
            """);
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["netns", "exec", ns.Name, "docker-registry", "serve", config])
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.True(() => Answers(ns), "docker-registry listening on " + Registry, TimeSpan.FromSeconds(20));
            ns.ExecChecked("skopeo", "copy", "-q", "--dest-tls-verify=false", $"oci:{Path.Combine(directory, "oci")}:busybox", "docker://" + Pushed);
            return process;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static bool Answers(NetworkNamespace ns) => ns.Run(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect("127.0.0.1", 5000);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    });

    private static string Run(string program, params string[] args)
    {
        var r = ProcessResult.Run(program, args);
        return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {r.ExitCode}: {r.Stderr}");
    }
}
