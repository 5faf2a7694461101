using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeProxyFast.Testing;

/// <summary>
/// A real, single-member etcd (Debian's etcd-server, /usr/bin/etcd) on free loopback ports with
/// its own temporary data directory; with <see cref="LaunchTls"/>, its client URL is https with a
/// serving certificate from its own CA and client certificates required (<see cref="EtcdServerTls"/>). <see cref="Stop"/> and <see cref="Start"/> simulate an outage
/// and the recovery (same ports, same data); <see cref="Dispose"/> kills it and deletes the data.
/// </summary>
public sealed class EtcdServer : IDisposable
{
    private const string Binary = "/usr/bin/etcd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory;
    private readonly int _clientPort;
    private readonly int _peerPort;
    private readonly Queue<string> _log = new();
    private Process? _process;

    private EtcdServer(string dataDirectory, int clientPort, int peerPort, EtcdServerTls? tls)
    {
        _dataDirectory = dataDirectory;
        _clientPort = clientPort;
        _peerPort = peerPort;
        Tls = tls;
    }

    /// <summary>Where clients connect, e.g. <c>http://127.0.0.1:40123</c> (https with TLS).</summary>
    public string ClientUrl => string.Create(CultureInfo.InvariantCulture, $"{(Tls is null ? "http" : "https")}://127.0.0.1:{_clientPort}");

    /// <summary>The CA, serving and client certificates of a TLS etcd; null for plain HTTP.</summary>
    public EtcdServerTls? Tls { get; }

    /// <summary>Starts a new etcd and waits until it is healthy.</summary>
    public static EtcdServer Launch() => Launch(tls: false);

    /// <summary>
    /// Starts a new etcd serving TLS (a serving certificate for 127.0.0.1 from its own CA) that
    /// requires client certificates from that CA (<c>--client-cert-auth</c>), and waits until it is healthy.
    /// </summary>
    public static EtcdServer LaunchTls() => Launch(tls: true);

    private static EtcdServer Launch(bool tls)
    {
        if (!File.Exists(Binary))
        {
            throw new FileNotFoundException($"{Binary} is missing: run scripts/install-deps.sh (Debian package etcd-server)");
        }

        // A free port found by binding port 0 can be taken by someone else before etcd binds it;
        // a second pair of ports makes that race harmless.
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("kpf-etcd-").FullName;
            var server = new EtcdServer(Path.Combine(directory, "data"), FreePort(), FreePort(), tls ? EtcdServerTls.Create(Path.Combine(directory, "tls")) : null);
            try
            {
                server.Start();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>Starts etcd (again) on the same ports and data directory and waits until it is healthy.</summary>
    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("etcd is already running");
        }

        var peerUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_peerPort}");
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--name", "kpf", "--data-dir", _dataDirectory,
            "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "kpf=" + peerUrl,
            // A lone member still waits one election timeout (1 s by default) before it leads.
            "--heartbeat-interval", "10", "--election-timeout", "100",
            "--logger", "zap", "--log-level", "warn",
        })
        {
            info.ArgumentList.Add(arg);
        }

        if (Tls is { } tls)
        {
            foreach (var arg in new[] { "--cert-file", tls.ServingCertificatePath, "--key-file", tls.ServingKeyPath, "--client-cert-auth", "--trusted-ca-file", tls.CaPath })
            {
                info.ArgumentList.Add(arg);
            }
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        WaitHealthy(process);
    }

    /// <summary>Kills etcd (SIGKILL, as a crash) and waits for it to exit; the data stays.</summary>
    public void Stop()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }

    /// <summary>Kills etcd and deletes its data (and its certificates).</summary>
    public void Dispose()
    {
        Stop();
        Tls?.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private void WaitHealthy(Process process)
    {
        using var http = Tls is { } tls
            ? new HttpClient(tls.CreateHandler()) { Timeout = TimeSpan.FromSeconds(1) }
            : new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var exitCode = process.ExitCode;
                Stop();
                throw new InvalidOperationException($"etcd exited with {exitCode} on start: {Log()}");
            }

            try
            {
                using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, ClientUrl + "/health"));
                if (response.StatusCode == HttpStatusCode.OK && new StreamReader(response.Content.ReadAsStream()).ReadToEnd().Contains("\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Thread.Sleep(20);
        }

        Stop();
        throw new TimeoutException($"etcd at {ClientUrl} was not healthy within {StartTimeout.TotalSeconds} s: {Log()}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > 30)
            {
                _log.Dequeue();
            }
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
