using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.Testing;

namespace KubeProxyFast.KubeProxy.Tests.Agent;

/// <summary>
/// <c>kpf proxy --kubeconfig</c> end to end: a real <c>kpf server</c> and a real <c>kpf proxy</c>
/// (child processes) in a private test node — cluster IPs (198.19.0.0/16) local on it, pods behind
/// a veth pair — with real kubectl writing the Services and Endpoints.
/// </summary>
public sealed class ProxyFromApiServerTests : IAsyncLifetime
{
    private static readonly IPEndPoint Service = new(IPAddress.Parse("198.19.0.10"), 80);
    private readonly NetworkNamespace _node = NetworkNamespace.Create("198.19.0.0/16", "198.18.0.0/24");
    private readonly string _directory = Directory.CreateTempSubdirectory("kpf-proxy-e2e-").FullName;
    private readonly List<TcpBackend> _backends = [];
    private readonly System.Text.StringBuilder _proxyLog = new();
    private PodNetwork _pods = null!;
    private KpfServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _pods = PodNetwork.Attach(_node, "198.18.1.1", "198.18.1.2");
        foreach (var (name, address) in new[] { ("b1", "198.18.1.1"), ("b2", "198.18.1.2") })
        {
            _backends.Add(_pods.Pods.Run(() => new TcpBackend(name, bind: new IPEndPoint(IPAddress.Parse(address), 8080))));
        }

        // The apiserver alone: the tests write Endpoints themselves, where the endpoints controller would.
        _server = await KpfServerProcess.StartAsync(_node, Path.Combine(_directory, "data"), "--service-cluster-ip-range", "198.19.0.0/16", "--disable", "scheduler,controllers");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        _pods.Dispose();
        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("userspace")]
    [InlineData("kernel")]
    public async Task ProxyKubeconfig_KubectlCreatesChangesAndDeletes_TrafficFollows(string mode)
    {
        Kubectl(Manifest("198.18.1.1"), "apply", "--validate=false", "-f", "-");
        using var proxy = StartProxy(mode);
        try
        {
            Assert.Equal("b1", await UntilAnswers(proxy, "b1"));

            Kubectl(Manifest("198.18.1.2"), "apply", "--validate=false", "-f", "-");
            Assert.Equal("b2", await UntilAnswers(proxy, "b2"));

            Kubectl(null, "delete", "service", "web");
            await Eventually.True(() => TcpClientHelpers.NothingListens(Service, _node), "the deleted service refused", TimeSpan.FromSeconds(10));
        }
        finally
        {
            Stop(proxy);
        }
    }

    [Fact]
    public async Task ProxyKubeconfig_ApiServerRestarted_KeepsServingAndCatchesUp()
    {
        Kubectl(Manifest("198.18.1.1"), "apply", "--validate=false", "-f", "-");
        using var proxy = StartProxy("kernel");
        try
        {
            Assert.Equal("b1", await UntilAnswers(proxy, "b1"));

            await _server.StopAsync();
            // The apiserver is gone: the proxy keeps the rules it had.
            Assert.Equal("b1", await TcpClientHelpers.Identify(Service, inside: _node));

            await _server.RestartAsync();
            Kubectl(Manifest("198.18.1.2"), "apply", "--validate=false", "-f", "-");
            // The informers reconnect (backoff up to 5 s) and bring the change made after the restart.
            Assert.Equal("b2", await UntilAnswers(proxy, "b2", TimeSpan.FromSeconds(20)));
            Assert.False(proxy.HasExited);
        }
        finally
        {
            Stop(proxy);
        }
    }

    private static string Manifest(string endpoint) => ServiceManifests.Web(Service, new IPEndPoint(IPAddress.Parse(endpoint), 8080));

    private void Kubectl(string? stdin, params string[] args)
    {
        var result = ProcessResult.Run("ip", ["netns", "exec", _node.Name, "kubectl", "--kubeconfig", _server.KubeconfigPath, .. args], stdin,
            new Dictionary<string, string> { ["HOME"] = _directory });
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}");
    }

    private Process StartProxy(string mode)
    {
        var kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        // ip netns exec execs the command, so the child keeps this pid: signals reach kpf itself.
        foreach (var argument in (string[])["netns", "exec", _node.Name, "dotnet", kpf, "proxy", "--kubeconfig", _server.KubeconfigPath,
            "--proxy-mode", mode, "--min-sync-period", "0s", "--metrics-bind-address", ""])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("kpf proxy did not start");
        // Drained, so that a full pipe never blocks the proxy; the log is kept for a failure's message.
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_proxyLog)
            {
                _proxyLog.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    /// <summary>Connects through the service until <paramref name="expected"/> answers; returns the last answer (or the error).</summary>
    private async Task<string> UntilAnswers(Process proxy, string expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        var last = "";
        while (DateTime.UtcNow < deadline && !proxy.HasExited)
        {
            try
            {
                last = await TcpClientHelpers.Identify(Service, inside: _node);
                if (last == expected)
                {
                    return last;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                last = e.Message;
            }

            await Task.Delay(50);
        }

        lock (_proxyLog)
        {
            return proxy.HasExited ? $"kpf proxy exited ({proxy.ExitCode}): {_proxyLog}" : $"{last}; kpf proxy's log:\n{_proxyLog}";
        }
    }

    private static void Stop(Process proxy)
    {
        if (!proxy.HasExited)
        {
            ProcessResult.Run("kill", ["-TERM", proxy.Id.ToString(CultureInfo.InvariantCulture)]);
            if (!proxy.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                proxy.Kill(entireProcessTree: true);
            }
        }
    }
}
