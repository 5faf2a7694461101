using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeProxyFast.Testing;

/// <summary>
/// A Kubernetes node for end-to-end tests: a network namespace as the machine (loopback, and
/// <see cref="KubeletNodeOptions.Address"/> on an <c>eth0</c> plugged into an <see cref="L2Switch"/>),
/// running <c>kpf kubelet</c> (the build beside the tests, <c>kpf.dll</c>) under <c>nsenter --net</c>
/// with a data directory of its own — and so its embedded containerd, CNI bridge, routes and
/// nf_tables, all inside the namespace. Alone it also runs <c>kpf server</c> (apiserver, scheduler,
/// controllers on the embedded store) in the same namespace; in a <see cref="KubeletCluster"/> it
/// reaches the cluster's server through a <see cref="NamespaceRelay"/>. Tests drive it through
/// <see cref="Kubectl"/> and <see cref="Http"/> as a user would.
/// </summary>
/// <remarks>
/// Disposing stops the kubelet (SIGTERM) and the server, kills whatever is left of the node
/// (<see cref="NodeTeardown"/>: containerd, shims, containers, their cgroups and pod network
/// namespaces), unmounts anything under its directory, deletes the namespace (and the switch when it
/// owns it) and the directory — also when the test failed.
/// </remarks>
public sealed class KubeletNode : IAsyncDisposable
{
    private readonly KubeletNodeOptions _options;
    private readonly L2Switch? _ownSwitch;
    private readonly StringBuilder _log = new();
    private KpfServerProcess? _server;
    private NamespaceRelay? _relay;
    private Process? _kubelet;
    private string _netnsLink = "";

    private KubeletNode(KubeletNodeOptions options, NetworkNamespace ns, L2Switch? ownSwitch, string directory)
    {
        _options = options;
        _ownSwitch = ownSwitch;
        Namespace = ns;
        Directory = directory;
        // The kubeconfig exists once the server has started; the handler reads it at its first handshake.
        var handler = KubeconfigTls.Apply(
            new SocketsHttpHandler { UseProxy = false, ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, ct) },
            () => KubeconfigPath);
        Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The Node's name.</summary>
    public string Name => _options.NodeName;

    /// <summary>The node's InternalIP.</summary>
    public string Address => _options.Address;

    /// <summary>The options the node was made with.</summary>
    public KubeletNodeOptions Options => _options;

    /// <summary>The node's network namespace.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>The node's own directory (server data, kubelet data, logs, host paths); deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The kubelet's <c>--data-dir</c>.</summary>
    public string DataDirectory => Path.Combine(Directory, "kubelet");

    /// <summary>A directory of the node's file system for hostPath volumes (the test reads what pods write there).</summary>
    public string HostPathDirectory => Path.Combine(Directory, "host");

    /// <summary>The kubeconfig the kubelet and <see cref="Kubectl"/> use, valid inside <see cref="Namespace"/>.</summary>
    public string KubeconfigPath { get; private set; } = "";

    /// <summary>The apiserver's URL as seen from inside <see cref="Namespace"/>.</summary>
    public Uri ApiServerUrl { get; private set; } = null!;

    /// <summary>A client of the apiserver whose connections are made inside <see cref="Namespace"/> (absolute paths: /api/v1/…).</summary>
    public HttpClient Http { get; }

    /// <summary>The server this node runs, when it runs its own.</summary>
    public KpfServerProcess? Server => _server;

    /// <summary>The kubelet's process id (<c>nsenter</c> execs it in place), or null when it is not running.</summary>
    public int? KubeletProcessId => _kubelet is { HasExited: false } k ? k.Id : null;

    /// <summary>True while the kubelet process runs.</summary>
    public bool KubeletRunning => _kubelet is { HasExited: false };

    /// <summary>The kubelet's output so far (stdout and stderr, interleaved).</summary>
    public string KubeletLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Makes a node with its own switch and its own <c>kpf server</c> and starts the kubelet, returning
    /// once the Node is Ready (unless <see cref="KubeletNodeOptions.StartKubelet"/> is false).
    /// </summary>
    public static async Task<KubeletNode> StartAsync(KubeletNodeOptions? options = null)
    {
        options ??= new KubeletNodeOptions();
        var sw = L2Switch.Create();
        KubeletNode? node = null;
        try
        {
            node = Create(options, sw, ownSwitch: true);
            var serverDirectory = System.IO.Directory.CreateDirectory(Path.Combine(node.Directory, "server")).FullName;
            node._server = await KpfServerProcess.StartAsync(node.Namespace, serverDirectory,
            [
                "--cluster-cidr", options.ClusterCidr, "--service-cluster-ip-range", options.ServiceCidr, .. options.ServerArgs,
            ]);
            node.KubeconfigPath = node._server.KubeconfigPath;
            node.ApiServerUrl = node._server.Url;
            if (options.StartKubelet)
            {
                await node.StartKubeletAsync();
                await node.WaitReadyAsync();
            }

            return node;
        }
        catch
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
            else
            {
                sw.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Makes a node on <paramref name="sw"/> whose kubelet reaches <paramref name="server"/> in
    /// <paramref name="serverNamespace"/>, and starts it (not waiting for Ready). The kubelet uses
    /// the server's admin kubeconfig, its server moved to the relay (the serving certificate names 127.0.0.1).
    /// </summary>
    internal static async Task<KubeletNode> StartInClusterAsync(KubeletNodeOptions options, L2Switch sw, NetworkNamespace serverNamespace, KpfServerProcess server)
    {
        var node = Create(options, sw, ownSwitch: false);
        try
        {
            node._relay = new NamespaceRelay(node.Namespace, serverNamespace, server.Url);
            node.ApiServerUrl = node._relay.Url;
            node.KubeconfigPath = Path.Combine(node.Directory, "kubeconfig");
            var admin = await File.ReadAllTextAsync(server.KubeconfigPath);
            await File.WriteAllTextAsync(node.KubeconfigPath, admin.Replace(
                "server: " + server.Url.GetLeftPart(UriPartial.Authority), "server: " + node._relay.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
            if (options.StartKubelet)
            {
                await node.StartKubeletAsync();
            }

            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>kpf kubelet</c> in the namespace (again, after <see cref="StopKubeletAsync"/>), on the same data directory.</summary>
    public Task StartKubeletAsync()
    {
        if (KubeletRunning)
        {
            throw new InvalidOperationException("the kubelet is running: stop it first");
        }

        var kpf = Path.Combine(AppContext.BaseDirectory, "kpf.dll");
        if (!File.Exists(kpf))
        {
            throw new InvalidOperationException($"{kpf} is missing: the test project must reference KubeProxyFast.Cli");
        }

        // nsenter --net, not ip netns exec: the latter's private /sys lacks the cgroup mounts runc needs.
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["HOME"] = Directory;
        string[] args =
        [
            "--net=" + Namespace.Path, "dotnet", kpf, "kubelet",
            "--kubeconfig", KubeconfigPath,
            "--node-name", _options.NodeName,
            "--data-dir", DataDirectory,
            "--node-ip", _options.Address,
            "--cluster-dns", _options.ClusterDns,
            "--cluster-domain", _options.ClusterDomain,
            "--cluster-cidr", _options.ClusterCidr,
            .. _options.RegistryConfig is null ? (string[])[] : ["--registry-config", Path.Combine(Directory, "registries.yaml")],
            .. _options.KubeletArgs,
        ];
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        Append($"--- {DateTime.UtcNow:O} kpf kubelet {string.Join(' ', args.Skip(4))}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _kubelet = process;
        return Task.CompletedTask;
    }

    /// <summary>Stops the kubelet as an operator would (SIGTERM; killed after 30 s). Its pods' containers keep running.</summary>
    public async Task StopKubeletAsync()
    {
        if (_kubelet is not { } process)
        {
            return;
        }

        _kubelet = null;
        try
        {
            await ChildProcess.TerminateAsync(process, TimeSpan.FromSeconds(30));
            process.WaitForExit(); // drains the output events
            Append($"--- {DateTime.UtcNow:O} kubelet exited {process.ExitCode}");
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Waits (up to <paramref name="within"/>, 90 s by default) for the Node to be Ready; throws with the kubelet's log otherwise.</summary>
    public async Task WaitReadyAsync(TimeSpan? within = null)
    {
        await WaitForAsync($"/api/v1/nodes/{_options.NodeName}", node => ConditionOf(node, "Ready") == "True", $"node {_options.NodeName} Ready", within ?? TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Polls GET <paramref name="path"/> until <paramref name="condition"/> holds on the object and
    /// returns it; throws after <paramref name="within"/> (60 s by default) with the last object read
    /// and the tail of the kubelet's log, so a failure says what the user would have seen.
    /// </summary>
    public async Task<JsonObject> WaitForAsync(string path, Func<JsonObject, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        JsonObject? last = null;
        while (true)
        {
            last = await TryGetAsync(path);
            if (last is not null && condition(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}\nlast {path}: {last?.ToJsonString() ?? "(not found)"}\n{Diagnostics()}");
            }

            if (_kubelet is { HasExited: true } && _options.StartKubelet)
            {
                throw new InvalidOperationException($"the kubelet exited while waiting for: {what}\n{Diagnostics()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Polls until GET <paramref name="path"/> is 404 (the object left the API); throws after <paramref name="within"/>.</summary>
    public async Task WaitGoneAsync(string path, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (await TryGetAsync(path) is { } last)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}\nlast {path}: {last.ToJsonString()}\n{Diagnostics()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>GET <paramref name="path"/> as JSON; null on 404; throws on any other failure.</summary>
    public async Task<JsonObject?> TryGetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(ApiServerUrl, path));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.IsSuccessStatusCode
            ? (JsonObject)JsonNode.Parse(body)!
            : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    /// <summary>GET <paramref name="path"/> as JSON; throws unless 200.</summary>
    public async Task<JsonObject> GetAsync(string path) =>
        await TryGetAsync(path) ?? throw new InvalidOperationException($"GET {path}: 404");

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/>; throws unless 201, and returns the created object.</summary>
    public async Task<JsonObject> CreateAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(ApiServerUrl, path), content);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.Created
            ? (JsonObject)JsonNode.Parse(body)!
            : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}");
    }

    /// <summary>DELETEs <paramref name="path"/> (with <c>gracePeriodSeconds</c> when given); throws unless 200/202.</summary>
    public async Task DeleteAsync(string path, int? gracePeriodSeconds = null)
    {
        var uri = new Uri(ApiServerUrl, gracePeriodSeconds is { } g ? string.Create(CultureInfo.InvariantCulture, $"{path}?gracePeriodSeconds={g}") : path);
        using var response = await Http.DeleteAsync(uri);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw new InvalidOperationException($"DELETE {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Runs kubectl inside the namespace on <see cref="KubeconfigPath"/>; throws with its output unless it succeeds.</summary>
    public string Kubectl(params string[] args) => KubectlWithInput(null, args);

    /// <summary>Runs kubectl with <paramref name="stdin"/> (for <c>-f -</c>); throws with its output unless it succeeds.</summary>
    public string KubectlWithInput(string? stdin, params string[] args)
    {
        var result = ProcessResult.Run("ip", ["netns", "exec", Namespace.Name, "kubectl", "--kubeconfig", KubeconfigPath, .. args], stdin,
            new Dictionary<string, string> { ["HOME"] = Directory });
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"kubectl {string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}{result.Stdout}");
    }

    /// <summary>Connects to <paramref name="address"/>:<paramref name="port"/> from inside the node's namespace, as a process on the node would.</summary>
    public async Task<Socket> ConnectFromNodeAsync(string address, int port, CancellationToken cancellationToken = default)
    {
        var ip = IPAddress.Parse(address);
        var socket = Namespace.Run(() => new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The status of condition <paramref name="type"/> of an object's <c>status.conditions</c>, or null.</summary>
    public static string? ConditionOf(JsonObject obj, string type)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => (string?)c?["type"] == type)?["status"]?.GetValue<string>();
    }

    /// <summary>The tail of the kubelet's log and of its containerd's, for failure messages.</summary>
    public string Diagnostics()
    {
        var containerd = Path.Combine(DataDirectory, "agent", "containerd", "containerd.log");
        var text = new StringBuilder();
        text.Append("--- kubelet log (tail):\n").Append(Tail(KubeletLog, 60));
        if (File.Exists(containerd))
        {
            try
            {
                text.Append("\n--- containerd log (tail):\n").Append(Tail(File.ReadAllText(containerd), 30));
            }
            catch (IOException)
            {
            }
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopKubeletAsync();
        }
        finally
        {
            try
            {
                if (_server is not null)
                {
                    await _server.DisposeAsync();
                }
            }
            finally
            {
                if (_relay is not null)
                {
                    await _relay.DisposeAsync();
                }

                Http.Dispose();
                await NodeTeardown.KillAllAsync(_netnsLink, Directory);
                NodeTeardown.UnmountAllUnder(Directory);
                Namespace.Dispose();
                _ownSwitch?.Dispose();
                DeleteDirectory(Directory);
            }
        }
    }

    private static KubeletNode Create(KubeletNodeOptions options, L2Switch sw, bool ownSwitch)
    {
        var ns = NetworkNamespace.Create("");
        var directory = System.IO.Directory.CreateTempSubdirectory($"kpf-node-{options.NodeName}-").FullName;
        var node = new KubeletNode(options, ns, ownSwitch ? sw : null, directory);
        try
        {
            node._netnsLink = NodeTeardown.NetnsLinkOf(ns);
            sw.Connect(ns, options.Address);
            System.IO.Directory.CreateDirectory(node.HostPathDirectory);
            var images = System.IO.Directory.CreateDirectory(Path.Combine(node.DataDirectory, "agent", "images")).FullName;
            foreach (var archive in options.ImageArchives)
            {
                File.Copy(archive, Path.Combine(images, Path.GetFileName(archive)));
            }

            if (options.RegistryConfig is { } registries)
            {
                File.WriteAllText(Path.Combine(directory, "registries.yaml"), registries);
            }

            return node;
        }
        catch
        {
            ns.Dispose();
            DeleteDirectory(directory);
            throw;
        }
    }

    private static void DeleteDirectory(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(directory))
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A mount that was busy a moment ago, or a file a dying process was still writing.
                NodeTeardown.UnmountAllUnder(directory);
                Thread.Sleep(200);
            }
        }
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken) =>
        new NetworkStream(await ConnectFromNodeAsync(endpoint.Host, endpoint.Port, cancellationToken), ownsSocket: true);
}
