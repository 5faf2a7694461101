using System.Diagnostics;
using System.Globalization;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests;

/// <summary><c>kpf server</c>: flags refused with the flag's name, and a real server that kubectl uses and that keeps its data across a restart.</summary>
public sealed class ServerCommandTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KpfCommandLine.Run(args, output, error);
        return (code, error.ToString());
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("198.18.0.1")]
    public void NonLoopbackInsecureBind_FailsNamingTheFlag(string address)
    {
        var (code, error) = Run("server", "--insecure-port", "0", "--insecure-bind-address", address);

        Assert.NotEqual(0, code);
        Assert.Contains($"--insecure-bind-address: {address} is not a loopback address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovedPortFlag_IsRefused()
    {
        var (code, error) = Run("server", "--port", "8080");

        Assert.NotEqual(0, code);
        Assert.Contains("--port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv4MappedBind_OnABusyPort_FailsClearlyWithTheIpv4Address()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var directory = Directory.CreateTempSubdirectory("kpf-server-").FullName;
        try
        {
            var (code, error) = Run("server", "--bind-address", "::ffff:127.0.0.1", "--secure-port", port, "--data-dir", directory, "--disable", "controllers,scheduler");

            Assert.Equal(1, code);
            Assert.Contains($"kpf server: cannot listen on 127.0.0.1:{port}: ", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Ipv4MappedBind_ServesOnTheIpv4Address()
    {
        var directory = Directory.CreateTempSubdirectory("kpf-server-").FullName;
        try
        {
            var (server, serving) = await StartAsync(directory, "--bind-address", "::ffff:127.0.0.1");
            using (server)
            {
                await StopAsync(server);
            }

            Assert.StartsWith("kpf server: serving https://127.0.0.1:", serving, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("example\\.com")]
    [InlineData("^http://ok\\.example$,")]
    public void UnpinnedCorsOrigin_FailsNamingTheFlag(string patterns)
    {
        var (code, error) = Run("server", "--cors-allowed-origins", patterns);

        Assert.NotEqual(0, code);
        Assert.Contains("--cors-allowed-origins: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadClusterIpRange_FailsNamingTheFlag()
    {
        var (code, error) = Run("server", "--service-cluster-ip-range", "198.18.0.0/33");

        Assert.NotEqual(0, code);
        Assert.Contains("--service-cluster-ip-range: service cluster IP range \"198.18.0.0/33\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadNodePortRange_FailsNamingTheFlag()
    {
        var (code, error) = Run("server", "--service-node-port-range", "32767-30000");

        Assert.NotEqual(0, code);
        Assert.Contains("--service-node-port-range", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("an hour")]
    public void BadEventTtl_FailsNamingTheFlag(string value)
    {
        var (code, error) = Run("server", "--event-ttl", value);

        Assert.NotEqual(0, code);
        Assert.Contains("--event-ttl", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_EmbeddedStore_ServesKubectlAndKeepsDataAcrossRestart()
    {
        var directory = Directory.CreateTempSubdirectory("kpf-server-").FullName;
        try
        {
            var kubeconfig = Path.Combine(directory, "kubeconfig");
            var created = await WithServerAsync(directory, () => Kubectl(kubeconfig, directory, NamespaceManifest, "create", "--validate=false", "-f", "-"));
            Assert.True(created.ExitCode == 0, created.Stderr);

            var listed = await WithServerAsync(directory, () => Kubectl(kubeconfig, directory, null, "get", "namespaces", "-o", "name"));

            Assert.Contains("namespace/team-a", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("namespace/default", listed.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void MalformedEncryptionConfig_FailsNamingTheFileAndTheProblem()
    {
        var directory = Directory.CreateTempSubdirectory("kpf-server-").FullName;
        try
        {
            var config = Path.Combine(directory, "encryption.yaml");
            File.WriteAllText(config, "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - secretbox:\n          keys: []\n");

            var (code, error) = Run("server", "--data-dir", directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--disable", "controllers,scheduler", "--encryption-provider-config", config);

            Assert.Equal(1, code);
            Assert.Contains($"kpf server: --encryption-provider-config {config}: resources[0].providers[0].secretbox: Invalid value: \"\": provider secretbox is not supported", error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(directory, "db")), "the store was opened before the configuration was read");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Server_WithoutEncryptionFlag_MakesAKeyAndStoresSecretsEncryptedAcrossRestart()
    {
        var directory = Directory.CreateTempSubdirectory("kpf-server-").FullName;
        try
        {
            const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: plaintext-never-on-disk\n";
            var kubeconfig = Path.Combine(directory, "kubeconfig");
            var created = await WithServerAsync(directory, () => Kubectl(kubeconfig, directory, Secret, "create", "--validate=false", "-f", "-"));
            var read = await WithServerAsync(directory, () => Kubectl(kubeconfig, directory, null, "get", "secret", "db", "-o", "jsonpath={.data.password}"));

            Assert.True(created.ExitCode == 0, created.Stderr);
            var config = Path.Combine(directory, "encryption-config.yaml");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "db"), "*", SearchOption.AllDirectories))
            {
                var bytes = File.ReadAllBytes(file);
                Assert.Equal(-1, bytes.AsSpan().IndexOf("plaintext-never-on-disk"u8));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String("plaintext-never-on-disk"u8))));
            }

            Assert.Equal("plaintext-never-on-disk", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(read.Stdout)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // kubectl create namespace would send protobuf, which this apiserver does not decode; a manifest goes as JSON.
    private const string NamespaceManifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n";

    private static ProcessResult Kubectl(string kubeconfig, string home, string? stdin, params string[] args) =>
        ProcessResult.Run("kubectl", ["--kubeconfig", kubeconfig, .. args], stdin, new Dictionary<string, string> { ["HOME"] = home });

    /// <summary>Runs <paramref name="use"/> against a kpf server child, which is stopped with SIGTERM (or killed) afterwards.</summary>
    private static async Task<T> WithServerAsync<T>(string directory, Func<T> use)
    {
        var (server, _) = await StartAsync(directory);
        using var started = server;
        try
        {
            var result = use();
            await StopAsync(server);
            return result;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Starts a kpf server child; returns it with its "serving …" line once it has written its kubeconfig.</summary>
    private static async Task<(Process Server, string Serving)> StartAsync(string directory, params string[] flags)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Loopback unless the test binds elsewhere.
        string[] bind = flags.Contains("--bind-address") ? [] : ["--bind-address", "127.0.0.1"];
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kpf.dll"), "server", "--data-dir", directory, "--secure-port", "0", "--disable", "controllers,scheduler" }.Concat(bind).Concat(flags))
        {
            start.ArgumentList.Add(a);
        }

        var server = Process.Start(start)!;
        string problem;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var serving = "";
            while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("kpf server: serving ", StringComparison.Ordinal))
                {
                    serving = line;
                }

                if (line.Contains("kubeconfig written", StringComparison.Ordinal))
                {
                    return (server, serving);
                }
            }

            problem = "exited before serving";
        }
        catch (OperationCanceledException)
        {
            problem = "wrote no kubeconfig within 30 s";
        }

        // Not left running behind a failed test, whichever way it failed.
        server.Kill(entireProcessTree: true);
        var stderr = await server.StandardError.ReadToEndAsync();
        server.Dispose();
        throw new InvalidOperationException($"kpf server {problem}: {stderr}");
    }

    private static async Task StopAsync(Process server)
    {
        Assert.True(await ChildProcess.TerminateAsync(server, TimeSpan.FromSeconds(20)), "kpf server did not stop within 20 s of SIGTERM");
        Assert.Equal(0, server.ExitCode);
    }
}
