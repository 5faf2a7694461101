using System.Diagnostics;
using System.Globalization;

namespace KubeProxyFast.Testing;

/// <summary>
/// A <c>kpf server</c> child process (the test project's own build, <c>kpf.dll</c> beside the tests)
/// on the embedded store in a data directory, inside a network namespace the caller owns. It can be
/// stopped (SIGTERM) and started again on the same data directory and port — an apiserver restart as
/// its clients see it. The data directory stays (the caller owns it).
/// </summary>
public sealed class KpfServerProcess : IAsyncDisposable
{
    // "kpf server: serving …" when the apiserver runs alone, "kpf server: apiserver: serving …" beside other roles.
    private static readonly string[] Serving = ["kpf server: serving ", "kpf server: apiserver: serving "];
    private readonly NetworkNamespace _ns;
    private readonly string[] _extraArgs;
    private Process? _process;

    private KpfServerProcess(NetworkNamespace ns, string dataDirectory, string[] extraArgs)
    {
        _ns = ns;
        DataDirectory = dataDirectory;
        _extraArgs = extraArgs;
    }

    /// <summary>The store's and kubeconfig's directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The admin kubeconfig <c>kpf server</c> writes, naming <see cref="Url"/> with the server CA and the admin's client certificate.</summary>
    public string KubeconfigPath => Path.Combine(DataDirectory, "kubeconfig");

    /// <summary>The server's HTTPS URL, valid inside the namespace; the same after a restart.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>True while the process runs.</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>Starts <c>kpf server --data-dir <paramref name="dataDirectory"/> --secure-port 0</c> in <paramref name="ns"/>, plus <paramref name="extraArgs"/>.</summary>
    public static async Task<KpfServerProcess> StartAsync(NetworkNamespace ns, string dataDirectory, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var server = new KpfServerProcess(ns, dataDirectory, extraArgs);
        await server.LaunchAsync(0);
        return server;
    }

    /// <summary>Stops the server gracefully (SIGTERM; killed after 20 s).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            await ChildProcess.TerminateAsync(process, TimeSpan.FromSeconds(20));
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Starts the stopped server again on its data directory and port.</summary>
    public Task RestartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("the server is running: stop it first");
        }

        return LaunchAsync(Url.Port);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task LaunchAsync(int port)
    {
        var kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");
        if (!File.Exists(kpf))
        {
            throw new InvalidOperationException($"{kpf} is missing: the test project must reference KubeProxyFast.Cli");
        }

        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["netns", "exec", _ns.Name, "dotnet", kpf, "server", "--data-dir", DataDirectory,
            "--secure-port", port.ToString(CultureInfo.InvariantCulture), .. _extraArgs])
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                // "kpf server: [apiserver: ]serving https://127.0.0.1:PORT/ on …"
                if (Serving.FirstOrDefault(s => line.StartsWith(s, StringComparison.Ordinal)) is { } serving)
                {
                    Url = new Uri(line[serving.Length..line.IndexOf(' ', serving.Length)]);
                    _process = process;
                    // Keep reading, so that a full pipe never blocks the server.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                    return;
                }
            }

            throw new InvalidOperationException("kpf server exited before serving: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            throw;
        }
    }
}
