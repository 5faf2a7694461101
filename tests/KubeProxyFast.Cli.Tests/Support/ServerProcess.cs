using System.Globalization;
using KubeProxyFast.Client;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Support;

/// <summary>
/// A <c>kpf server</c> child process (the build beside the tests) serving HTTPS on loopback, in a
/// data directory of its own, with a client and kubectl on its admin kubeconfig. Disposing kills it and deletes the
/// directory.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    // "kpf server: [apiserver: ]serving https://… on …" (the role is named when the command runs several).
    private const string Serving = "serving https://";

    private readonly bool _ownsDirectory;

    private ServerProcess(KpfProcess process, string directory, bool ownsDirectory, Uri url)
    {
        _ownsDirectory = ownsDirectory;
        Process = process;
        Directory = directory;
        Url = url;
        Client = KubeClient.FromKubeconfig(KubeconfigPath);
    }

    /// <summary>The running process (its output lines).</summary>
    public KpfProcess Process { get; }

    /// <summary>The data directory (the embedded store, the kubeconfig), also kubectl's HOME.</summary>
    public string Directory { get; }

    public Uri Url { get; }

    /// <summary>A client of this server: the admin of its kubeconfig, over HTTPS.</summary>
    public KubeClient Client { get; }

    /// <summary>The admin kubeconfig the server wrote (its CA and the admin's client certificate).</summary>
    public string KubeconfigPath => Path.Combine(Directory, "kubeconfig");

    /// <summary>An HttpClient of this server as the admin of its kubeconfig (absolute paths: /api/v1/…).</summary>
    public HttpClient AdminHttp() => new(KubeClient.ReadKubeconfig(KubeconfigPath).Credentials.CreateHandler()) { BaseAddress = Url };

    /// <summary>
    /// Starts <c>kpf server --data-dir &lt;temp&gt; --bind-address 127.0.0.1 --secure-port 0 <paramref name="flags"/></c>,
    /// its roles' /healthz and /metrics on free ports too (tests run side by side), and returns once
    /// it has written its kubeconfig.
    /// </summary>
    public static Task<ServerProcess> StartAsync(params string[] flags) => StartInAsync(null, flags);

    /// <summary>
    /// As <see cref="StartAsync"/>, on <paramref name="directory"/> (kept when disposed, for a
    /// restart on the same data), or a new temporary directory (deleted when disposed) when null.
    /// </summary>
    public static async Task<ServerProcess> StartInAsync(string? directory, params string[] flags)
    {
        var owned = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("kpf-e2e-").FullName;
        var process = KpfProcess.Start(["server", "--data-dir", directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--controller-manager-secure-port", "0", "--scheduler-secure-port", "0", .. flags]);
        try
        {
            var serving = await process.WaitForLineAsync(Serving);
            await process.WaitForLineAsync("kubeconfig written");
            var url = serving[(serving.IndexOf(Serving, StringComparison.Ordinal) + "serving ".Length)..].Split(' ')[0];
            return new ServerProcess(process, directory, owned, new Uri(url));
        }
        catch
        {
            process.Dispose();
            if (owned)
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            throw;
        }
    }

    /// <summary>The holder identity this server campaigns with for Lease kube-system/<paramref name="lease"/>, as it printed it.</summary>
    public async Task<string> IdentityAsync(string lease)
    {
        var campaigning = $"campaigning for the lease kube-system/{lease} as ";
        var line = await Process.WaitForLineAsync(campaigning);
        return line[(line.IndexOf(campaigning, StringComparison.Ordinal) + campaigning.Length)..].Trim();
    }

    /// <summary>Runs kubectl against this server (bounded to a minute); a failure fails the test with kubectl's words.</summary>
    public string Kubectl(params string[] args) => Ok(args, null);

    /// <summary>Runs kubectl with <paramref name="stdin"/> (for <c>-f -</c>); a failure fails the test.</summary>
    public string KubectlWithInput(string stdin, params string[] args) => Ok(args, stdin);

    /// <summary>Kills the process at once (SIGKILL), as a crash or a lost machine: it releases nothing.</summary>
    public Task<int> KillAsync()
    {
        Process.Signal("KILL");
        return Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Stops it gracefully (SIGTERM) and returns its exit code.</summary>
    public Task<int> StopAsync()
    {
        Process.Signal("TERM");
        return Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Process.Dispose();
        if (_ownsDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private string Ok(string[] args, string? stdin)
    {
        var result = ProcessResult.Run("kubectl", ["--kubeconfig", KubeconfigPath, .. args], stdin, new Dictionary<string, string> { ["HOME"] = Directory });
        Assert.True(result.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"kubectl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}"));
        return result.Stdout;
    }
}
