using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Cli.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.Cli.Tests.Hosting;

/// <summary>
/// Signals to the real <c>kpf</c> binary, a child process: SIGTERM stops every role gracefully and
/// exits 0; a second signal while the roles stop exits at once; a role failing at start exits 1 with its cause.
/// </summary>
public sealed class ShutdownSignalsTests : IAsyncDisposable
{
    // Bounds each wait for kpf to exit; its stop deadline is 10 s.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(20);

    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-signals-").FullName;
    private readonly TcpBackend _backend = new("backend-1");

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Server_Sigterm_StopsTheApiServerFreesItsPortAndExits0()
    {
        using var kpf = KpfProcess.Start("server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--disable", "controllers,scheduler");
        var api = ServingEndPoint(await kpf.WaitForLineAsync("kpf server: serving "));

        kpf.Signal("TERM");
        var code = await kpf.WaitForExitAsync(ExitBound);

        Assert.Equal(0, code);
        Assert.Contains(kpf.Stderr, l => l.Contains("apiserver stopped in ", StringComparison.Ordinal));
        Assert.True(await TcpClientHelpers.NothingListens(api), "the apiserver's port is closed");
    }

    [Fact]
    public async Task Proxy_Sigterm_StopsTheProxyFreesItsPortsAndExits0()
    {
        var service = new IPEndPoint(CliAddresses.NextClusterIP(), 18080);
        var config = ServicesFile.Write(_directory, service, _backend.EndPoint);
        using var kpf = KpfProcess.Start("proxy", "--config", config, "--metrics-bind-address", "127.0.0.1:0");
        var metrics = new Uri((await kpf.WaitForLineAsync("metrics at ", stderr: true)).Trim()["metrics at ".Length..]);
        await Eventually.True(async () => await Identify(service) == "backend-1", "the proxy serves the service", TimeSpan.FromSeconds(20));

        kpf.Signal("TERM");
        var code = await kpf.WaitForExitAsync(ExitBound);

        Assert.Equal(0, code);
        Assert.Contains(kpf.Stderr, l => l.Contains("proxy stopped in ", StringComparison.Ordinal));
        Assert.True(await TcpClientHelpers.NothingListens(service), "the service port is closed");
        Assert.True(await TcpClientHelpers.NothingListens(new IPEndPoint(IPAddress.Loopback, metrics.Port)), "the metrics port is closed");
    }

    [Fact]
    public async Task Server_SecondSignalWhileStopping_ExitsAtOnceWith130()
    {
        using var kpf = KpfProcess.Start("server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", "0", "--disable", "controllers,scheduler");
        var api = ServingEndPoint(await kpf.WaitForLineAsync("kpf server: serving "));
        await using var slow = await BodylessRequest.StartAsync(api, Path.Combine(_directory, "kubeconfig"));
        // Signalled once the host has reported the role ready (a loaded machine may still be starting it).
        await kpf.WaitForLineAsync("ready: apiserver", stderr: true);

        kpf.Signal("INT");
        await kpf.WaitForLineAsync("stopping 1 role(s)", stderr: true);
        kpf.Signal("INT");
        var code = await kpf.WaitForExitAsync(ExitBound);

        Assert.Equal(130, code);
        Assert.Contains("kpf server: SIGINT again: exiting without waiting for the roles to stop", kpf.Stderr);
        Assert.DoesNotContain(kpf.Stderr, l => l.Contains("apiserver stopped", StringComparison.Ordinal));
    }

    [Fact]
    public void Proxy_ConfigDoesNotParse_Exits1NamingTheFileAndTheCause()
    {
        var config = Path.Combine(_directory, "services.yaml");
        File.WriteAllText(config, "apiVersion: v1\nkind: Service\nmetadata: [name: web\n");

        var result = KpfProcess.Run("proxy", "--config", config, "--metrics-bind-address", "");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"kpf proxy: cannot start: {config}: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_PortTaken_Exits1NamingTheAddressAndTheCause()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var result = KpfProcess.Run("server", "--data-dir", _directory, "--bind-address", "127.0.0.1", "--secure-port", port, "--disable", "controllers,scheduler");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"kpf server: cannot listen on 127.0.0.1:{port}: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>"kpf server: serving https://127.0.0.1:PORT on …" → 127.0.0.1:PORT.</summary>
    private static IPEndPoint ServingEndPoint(string line)
    {
        var url = new Uri(line.Split(' ')[3]);
        return new IPEndPoint(IPAddress.Parse(url.Host), url.Port);
    }

    private static async Task<string> Identify(IPEndPoint service)
    {
        try
        {
            return await TcpClientHelpers.Identify(service);
        }
        catch (SocketException)
        {
            return "";
        }
    }
}
