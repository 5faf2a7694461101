using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.KubeProxy.Tests.Support;
using KubeProxyFast.Testing;

namespace KubeProxyFast.KubeProxy.Tests.Agent;

/// <summary>
/// A real <c>kpf proxy --proxy-mode userspace|kernel</c> child process in a private test node
/// (pods behind a veth pair): a client on the node reaches the pod through the cluster IP, and
/// SIGTERM removes the table ip kpf.
/// </summary>
public sealed class ProxyModeTests
{
    private static readonly IPEndPoint Service = new(IPAddress.Parse("198.19.0.10"), 80);

    [Theory]
    [InlineData("kernel")]
    [InlineData("userspace")]
    public async Task ProxyMode_ClusterIPTraffic_ReachesThePodAndSigtermRemovesTheRules(string mode)
    {
        using var node = NetworkNamespace.Create("198.19.0.0/16", "198.18.0.0/24");
        using var pods = PodNetwork.Attach(node, "198.18.1.1");
        await using var backend = pods.Pods.Run(() => new TcpBackend("b", bind: new IPEndPoint(IPAddress.Parse("198.18.1.1"), 8080)));
        using var directory = new TempDirectory();
        var config = directory.WriteAtomically("services.yaml", Manifests.Documents(
            Manifests.Service("web", Service.Address, Service.Port),
            Manifests.Endpoints("web", "http", backend.EndPoint)));
        using var proxy = Start(node, config, mode);
        try
        {
            Assert.Equal("b", await WaitUntilServing(node, proxy));
            var listing = node.ExecChecked("nft", "list", "table", "ip", "kpf");
            Assert.Contains(mode == "kernel" ? "198.19.0.10 . 80 . 0 : 198.18.1.1 . 8080" : "198.19.0.10 . tcp . 80 : ", listing);

            // SIGTERM: a graceful stop, which deletes the rules.
            ProcessResult.Run("kill", ["-TERM", proxy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(proxy.WaitForExit(TimeSpan.FromSeconds(20)), "kpf proxy did not stop on SIGTERM");
            Assert.Equal(0, proxy.ExitCode);
            Assert.NotEqual(0, node.Exec("nft", "list", "table", "ip", "kpf").ExitCode);
        }
        finally
        {
            if (!proxy.HasExited)
            {
                proxy.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("kernel")]
    [InlineData("userspace")]
    public async Task ProxyMode_UdpServiceAndAConnectedClientOnTheNode_TheClientGetsTheAnswer(string mode)
    {
        using var node = NetworkNamespace.Create("198.19.0.0/16", "198.18.0.0/24");
        using var pods = PodNetwork.Attach(node, "198.18.1.1");
        await using var backend = pods.Pods.Run(() => new UdpBackend("dns", bind: new IPEndPoint(IPAddress.Parse("198.18.1.1"), 5353)));
        using var directory = new TempDirectory();
        var config = directory.WriteAtomically("services.yaml", Manifests.Documents(
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: dns
            spec:
              clusterIP: 198.19.0.53
              ports:
              - name: dns
                port: 53
                protocol: UDP
            """,
            """
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: dns
            subsets:
            - addresses:
              - ip: 198.18.1.1
              ports:
              - name: dns
                port: 5353
                protocol: UDP
            """));
        // Connected to the service, as a resolver's socket is: a reply from any other address and
        // port (a REDIRECT that conntrack could not undo) is dropped by the kernel.
        using var client = node.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(IPAddress.Parse("198.19.0.53"), 53));
            return socket;
        });
        using var proxy = Start(node, config, mode);
        try
        {
            Assert.Equal("dns:query", await WaitForAnswer(client, proxy));
        }
        finally
        {
            if (!proxy.HasExited)
            {
                proxy.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> WaitForAnswer(Socket client, Process proxy)
    {
        var buffer = new byte[512];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !proxy.HasExited)
        {
            await client.SendAsync("query"u8.ToArray());
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                var n = await client.ReceiveAsync(buffer, wait.Token);
                return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Not serving yet (refused, or no answer): ask again.
            }
        }

        if (!proxy.HasExited)
        {
            proxy.Kill();
        }

        throw new TimeoutException($"no answer from 198.19.0.53:53 within 20 s: {await proxy.StandardError.ReadToEndAsync()}");
    }

    private static Process Start(NetworkNamespace node, string config, string mode)
    {
        var kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        // ip netns exec execs the command, so the child keeps this pid: signals reach kpf itself.
        foreach (var argument in (string[])["netns", "exec", node.Name, "dotnet", kpf, "proxy", "--config", config,
            "--proxy-mode", mode, "--min-sync-period", "0s", "--metrics-bind-address", ""])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("kpf proxy did not start");
    }

    private static async Task<string> WaitUntilServing(NetworkNamespace node, Process proxy)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !proxy.HasExited)
        {
            try
            {
                return await TcpClientHelpers.Identify(Service, inside: node);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }

        if (!proxy.HasExited)
        {
            proxy.Kill();
        }

        throw new TimeoutException($"kpf proxy did not serve {Service} within 20 s: {await proxy.StandardError.ReadToEndAsync()}");
    }
}
