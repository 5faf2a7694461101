using KubeProxyFast.Api.Core;
using KubeProxyFast.Client;
using KubeProxyFast.Client.Informers;
using KubeProxyFast.Kubelet.Cri;
using KubeProxyFast.Kubelet.Nodes;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet;

/// <summary>
/// The kubelet, composed: the data directories, the container runtime (the one at
/// <see cref="KubeletOptions.ContainerRuntimeEndpoint"/>), the CRI check, the Node's
/// registration, the informers it works from (its pods by <c>spec.nodeName</c>, Services, Nodes,
/// ConfigMaps, Secrets), the node Lease and the status reporter. <see cref="StartAsync"/> returns a
/// running instance once the Node is registered and the runtime answers; <see cref="DisposeAsync"/>
/// stops everything it started, in reverse order.
/// </summary>
public sealed partial class Kubelet : IAsyncDisposable
{
    private static readonly TimeSpan RuntimeCheckTimeout = TimeSpan.FromSeconds(10);

    private readonly List<Func<ValueTask>> _cleanup = [];
    private readonly ILogger _logger;

    private Kubelet(KubeletOptions options, KubeClient client, ILoggerFactory loggerFactory, TimeProvider time)
    {
        Options = options;
        Client = client;
        LoggerFactory = loggerFactory;
        Time = time;
        _logger = loggerFactory.CreateLogger("KubeProxyFast.Kubelet");
    }

    /// <summary>What the kubelet was started with.</summary>
    public KubeletOptions Options { get; }

    /// <summary>The apiserver (not disposed with the kubelet: the caller's).</summary>
    public KubeClient Client { get; }

    /// <summary>The one logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The clock of every timer.</summary>
    public TimeProvider Time { get; }

    /// <summary>The CRI connection to the runtime.</summary>
    public CriConnection Cri { get; private set; } = null!;

    /// <summary>The runtime's endpoint (<c>unix://…</c>): the embedded containerd's or the one given.</summary>
    public string RuntimeEndpoint { get; private set; } = "";

    /// <summary>The runtime's name as CRI Version reports it (<c>containerd</c>): the scheme of container ids.</summary>
    public string RuntimeName { get; private set; } = "";

    /// <summary>The machine as read at start.</summary>
    public MachineInfo Machine { get; private set; } = null!;

    /// <summary>What the node says of itself.</summary>
    public NodeDescription Description { get; private set; } = null!;

    /// <summary>The informers of the kubelet: pods of this node, Services, Nodes, ConfigMaps, Secrets.</summary>
    public SharedInformerFactory Informers { get; private set; } = null!;

    /// <summary>The pods bound to this node (field selector <c>spec.nodeName</c>).</summary>
    public SharedInformer<Pod> Pods { get; private set; } = null!;

    /// <summary>The node's Lease.</summary>
    public NodeLease Lease { get; private set; } = null!;

    /// <summary>The node's status reporter.</summary>
    public NodeStatusReporter Status { get; private set; } = null!;

    /// <summary>The readiness last written to the Node; null before the first status update.</summary>
    public NodeReadiness? Readiness => Status?.Reported;

    /// <summary>Called after a status update wrote another readiness than before (the role's health follows it).</summary>
    public Action<NodeReadiness>? ReadinessChanged { get; set; }

    /// <summary>
    /// Starts a kubelet reaching the apiserver through <paramref name="client"/>; returns once its
    /// Node is registered and its runtime answers.
    /// </summary>
    /// <exception cref="KubeletStartException">The kubelet cannot start; the message says why. Whatever was started is stopped.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<Kubelet> StartAsync(KubeClient client, KubeletOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var kubelet = new Kubelet(options, client, loggerFactory, time ?? TimeProvider.System);
        try
        {
            await kubelet.StartPartsAsync(cancellationToken).ConfigureAwait(false);
            return kubelet;
        }
        catch
        {
            await kubelet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops everything, in reverse start order.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            try
            {
                await _cleanup[i]().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                KubeletLog.StopFailed(_logger, e);
            }
        }

        _cleanup.Clear();
    }

    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        var layout = MakeDirectories();
        await StartRuntimeAsync(layout, cancellationToken).ConfigureAwait(false);
        var version = await CheckRuntimeAsync(cancellationToken).ConfigureAwait(false);
        RuntimeName = version.RuntimeName;
        await PrepareImagesAsync(layout, cancellationToken).ConfigureAwait(false);

        try
        {
            Machine = MachineInfo.Read(Options.DataDirectory);
            Description = NodeDescription.Build(Options, Machine, version.RuntimeName, version.RuntimeVersion);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            throw new KubeletStartException(e.Message, e);
        }

        await RegisterAsync(cancellationToken).ConfigureAwait(false);
        await StartInformersAsync(cancellationToken).ConfigureAwait(false);
        await StartPodsAsync(cancellationToken).ConfigureAwait(false);
        StartHeartbeats();
        await StartServerAsync(layout, cancellationToken).ConfigureAwait(false);
        KubeletLog.Started(_logger, Options.NodeName, RuntimeEndpoint, version.RuntimeName, version.RuntimeVersion);
    }

    /// <summary><c>&lt;data&gt;/agent/…</c>: made, or a start error naming the directory.</summary>
    private KubeletLayout MakeDirectories()
    {
        var layout = new KubeletLayout(Options.DataDirectory);
        try
        {
            foreach (var directory in layout.All)
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeletStartException($"--data-dir {Options.DataDirectory}: cannot make the kubelet's directories: {e.Message}", e);
        }

        return layout;
    }

    private async Task<Cri.V1.VersionResponse> CheckRuntimeAsync(CancellationToken cancellationToken)
    {
        try
        {
            Cri = CriConnection.Open(RuntimeEndpoint);
        }
        catch (ArgumentException e)
        {
            throw new KubeletStartException($"--container-runtime-endpoint {RuntimeEndpoint}: {e.Message}", e);
        }

        var cri = Cri;
        _cleanup.Add(() =>
        {
            cri.Dispose();
            return ValueTask.CompletedTask;
        });
        try
        {
            return await Cri.CheckAsync(RuntimeCheckTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (CriUnavailableException e)
        {
            throw new KubeletStartException(e.Message, e);
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var registration = new NodeRegistration(Client, Description, Time, LoggerFactory.CreateLogger<NodeRegistration>());
        try
        {
            await registration.RegisterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            throw new KubeletStartException($"the apiserver refused to register node {Options.NodeName}: {e.Message}", e);
        }
    }

    private async Task StartInformersAsync(CancellationToken cancellationToken)
    {
        Informers = new SharedInformerFactory(Client);
        var informers = Informers;
        _cleanup.Add(informers.DisposeAsync);
        Pods = Informers.InformerFor<Pod>(fieldSelector: "spec.nodeName=" + Options.NodeName);
        Informers.InformerFor<Service>();
        Informers.InformerFor<Api.Core.Node>();
        Informers.InformerFor<ConfigMap>();
        Informers.InformerFor<Secret>();
        Informers.Start(cancellationToken: default);
        await Informers.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
    }

    private void StartHeartbeats()
    {
        Lease = new NodeLease(Client, Options.NodeName, Options.NodeLeaseDurationSeconds, Options.LeaseRenewInterval, Time, LoggerFactory.CreateLogger<NodeLease>());
        var lease = Lease;
        _cleanup.Add(lease.DisposeAsync);
        Lease.Start();

        Status = new NodeStatusReporter(Client, Description, ReadinessChecks(), Options.NodeStatusUpdateFrequency,
            ReadinessInterval(Options.NodeStatusUpdateFrequency), Time, LoggerFactory.CreateLogger<NodeStatusReporter>())
        {
            ReadinessChanged = r => ReadinessChanged?.Invoke(r),
        };
        var status = Status;
        _cleanup.Add(status.DisposeAsync);
        Status.Start();
    }

    /// <summary>Readiness is checked every 5 s as the kubelet's runtime check, or at every update when those are more frequent.</summary>
    private static TimeSpan ReadinessInterval(TimeSpan frequency) => frequency < TimeSpan.FromSeconds(5) ? frequency : TimeSpan.FromSeconds(5);
}
