using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeProxyFast.KubeProxy.Tests.Support;
using KubeProxyFast.Testing;
using static KubeProxyFast.Testing.TcpClientHelpers;

namespace KubeProxyFast.KubeProxy.Tests.Agent;

/// <summary>
/// A proxy short of file descriptors must not run itself out of them (the .NET runtime then
/// fails in places nobody handles): it derives a connection cap from its limit, as HAProxy
/// derives maxconn, leaves further clients queued in the kernel, and serves them as connections
/// close — never refusing, resetting or crashing. The proxy runs as a real `kpf proxy` child
/// process under prlimit, so only it is short of descriptors (the runtime alone holds ~120).
/// </summary>
public sealed class DescriptorExhaustionTests
{
    private const int DescriptorLimit = 320;
    private const int Clients = 90;

    [Fact]
    public async Task Accept_OutOfDescriptors_PausesAndServesQueuedClientsLater()
    {
        await using var backend = new TcpBackend("b");
        using var directory = new TempDirectory();
        var service = new IPEndPoint(TestAddresses.NextClusterIP(), 8080);
        var config = directory.WriteAtomically("services.yaml", Manifests.Documents(
            Manifests.Service("web", service.Address, service.Port),
            Manifests.Endpoints("web", "http", backend.EndPoint)));
        using var proxy = StartProxy(config);
        var log = new Lazy<Task<string>>(() => StopAndReadLog(proxy));
        try
        {
            await WaitUntilServing(service, proxy);

            // The cap this limit allows is far below 90 connections: some clients wait in the
            // listen queue until others leave.
            var sockets = new Socket[Clients];
            for (var i = 0; i < Clients; i++)
            {
                sockets[i] = await Connect(service);
            }

            // Every client reads its banner once. The proxy has stopped at its cap when each client
            // either has its banner or still waits in the kernel's accept queue: nothing is half
            // done and nothing more is being accepted.
            var reads = sockets.Select(ReadLine).ToArray();
            await Eventually.True(() => reads.Count(r => r.IsCompleted) + AcceptQueueLength(service) == Clients,
                "every client served or queued in the kernel", TimeSpan.FromSeconds(20));
            var served = reads.Select(r => r.IsCompletedSuccessfully && r.Result == "b").ToArray();
            var servedFirst = served.Count(s => s);
            Assert.InRange(servedFirst, 1, Clients - 1);
            Assert.DoesNotContain(reads, r => r.IsFaulted);

            // Clients that were served leave; the rest must now be served, by the same process.
            for (var i = 0; i < Clients; i++)
            {
                if (served[i])
                {
                    sockets[i].Dispose();
                }
            }

            // Each late client leaves once served, making room for the next wave.
            var late = await Task.WhenAll(Enumerable.Range(0, Clients).Where(i => !served[i]).Select(async i =>
            {
                var name = await reads[i];
                sockets[i].Dispose();
                return name;
            }));
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            Assert.All(late, name => Assert.Equal("b", name));
            Assert.False(proxy.HasExited, "the proxy exited");
            Assert.DoesNotContain("EMFILE", await log.Value, StringComparison.Ordinal);
        }
        finally
        {
            if (!proxy.HasExited)
            {
                proxy.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartProxy(string config)
    {
        var kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");
        var start = new ProcessStartInfo("prlimit")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in (string[])[$"--nofile={DescriptorLimit}:{DescriptorLimit}", "dotnet", kpf, "proxy", "--config", config, "--metrics-bind-address", ""])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("prlimit did not start");
    }

    /// <summary>
    /// Connections waiting in the kernel's accept queue of the listeners on <paramref name="listener"/>:
    /// the rx_queue of its LISTEN (0A) rows in /proc/net/tcp, whose addresses are hex, the address
    /// in the host's byte order.
    /// </summary>
    private static int AcceptQueueLength(IPEndPoint listener)
    {
        var local = string.Create(CultureInfo.InvariantCulture, $"{BitConverter.ToUInt32(listener.Address.GetAddressBytes()):X8}:{listener.Port:X4}");
        var queued = 0;
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] == local && fields[3] == "0A")
            {
                queued += int.Parse(fields[4].AsSpan(fields[4].IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return queued;
    }

    private static async Task WaitUntilServing(IPEndPoint service, Process proxy)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !proxy.HasExited)
        {
            try
            {
                Assert.Equal("b", await Identify(service));
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"kpf proxy did not serve {service} within 20 s: {await StopAndReadLog(proxy)}");
    }

    private static async Task<string> StopAndReadLog(Process proxy)
    {
        if (!proxy.HasExited)
        {
            proxy.Kill();
        }

        await proxy.WaitForExitAsync();
        return await proxy.StandardError.ReadToEndAsync();
    }
}
