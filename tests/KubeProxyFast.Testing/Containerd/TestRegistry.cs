using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Kubelet.Runtime;

namespace KubeProxyFast.Testing.Containerd;

/// <summary>
/// A real OCI registry (Debian's <c>docker-registry serve</c>, distribution 2.8) inside a test's
/// network namespace on 127.0.0.1:<see cref="Port"/>, plain HTTP, no auth, storage in a temp dir
/// removed on dispose. <see cref="PlainHttp"/> is the registries.yaml that lets a containerd in the
/// same namespace pull from it; <see cref="PushAsync"/> copies an OCI archive into it with skopeo.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly string _directory;
    private readonly Process _process;

    private TestRegistry(NetworkNamespace ns, string directory, int port, Process process)
    {
        _ns = ns;
        _directory = directory;
        Port = port;
        _process = process;
    }

    /// <summary>The port on 127.0.0.1 inside the namespace.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of image references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>A registry config making <see cref="Host"/> a plain-HTTP registry (a mirror of itself over http://).</summary>
    public RegistryConfig PlainHttp => new()
    {
        Mirrors = new Dictionary<string, IReadOnlyList<string>> { [Host] = [$"http://{Host}"] },
    };

    /// <summary>Starts a registry in <paramref name="ns"/> on 127.0.0.1:<paramref name="port"/> and waits until it accepts connections.</summary>
    public static async Task<TestRegistry> StartAsync(NetworkNamespace ns, int port = 5000)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var directory = Directory.CreateTempSubdirectory("kpft-registry-").FullName;
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["netns", "exec", ns.Name, "docker-registry", "serve", config])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        // Drain its output so that it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new TestRegistry(ns, directory, port, process);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!registry.Accepts())
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"docker-registry in {ns.Name} did not listen on {registry.Host} (exited: {process.HasExited})");
                }
                await Task.Delay(50);
            }
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Copies the OCI archive <paramref name="archive"/> to <c>HOST/<paramref name="repositoryAndTag"/></c>
    /// (e.g. <c>kpf/busybox:1</c>) with skopeo run inside the namespace; returns the full reference.
    /// </summary>
    public Task<string> PushAsync(string archive, string repositoryAndTag)
    {
        var reference = $"{Host}/{repositoryAndTag}";
        var result = _ns.Exec("skopeo", "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false", $"oci-archive:{archive}", $"docker://{reference}");
        return result.ExitCode == 0
            ? Task.FromResult(reference)
            : throw new InvalidOperationException($"skopeo copy {archive} to {reference}: exit {result.ExitCode}: {result.Stderr}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ChildProcess.TerminateAsync(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private bool Accepts() => _ns.Run(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, Port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    });
}
