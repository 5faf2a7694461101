using System.Net;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Relay;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>Where the listeners of service ports are bound.</summary>
public enum ListenMode
{
    /// <summary>
    /// Standalone: each service port listens on its own addresses — clusterIP:port, every
    /// externalIP:port, and nodePort on the node addresses — so it is reachable without netfilter.
    /// </summary>
    Direct,

    /// <summary>
    /// Userspace mode: each service port gets one local proxy port on <see cref="ProxyEngineOptions.ProxyBindAddress"/>;
    /// netfilter REDIRECTs the service's addresses there (see <see cref="ProxyEngine.ProxyPorts"/>).
    /// </summary>
    ProxyPort,
}

/// <summary>Settings of the <see cref="ProxyEngine"/>.</summary>
public sealed record ProxyEngineOptions
{
    /// <summary>Event loop threads (each owns its sockets, like an HAProxy thread); default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Endpoint choice for a new client; random by default, as the seed kube-proxy.</summary>
    public BalancingMode Balancing { get; init; } = BalancingMode.Random;

    /// <summary>How TCP bytes are moved.</summary>
    public RelayMode Relay { get; init; } = RelayMode.Auto;

    /// <summary>Where listeners bind.</summary>
    public ListenMode Listen { get; init; } = ListenMode.Direct;

    /// <summary>Address of proxy ports in <see cref="ListenMode.ProxyPort"/> mode.</summary>
    public IPAddress ProxyBindAddress { get; init; } = IPAddress.Any;

    /// <summary>Addresses node ports listen on in <see cref="ListenMode.Direct"/> mode.</summary>
    public IReadOnlyList<IPAddress> NodePortAddresses { get; init; } = [IPAddress.Any];

    /// <summary>Size of a relay buffer (HAProxy's default tune.bufsize is 16 KiB).</summary>
    public int BufferSize { get; init; } = 16 * 1024;

    /// <summary>Bytes moved per splice(2) call, and the size asked for the pipes (F_SETPIPE_SZ).</summary>
    public int SpliceChunk { get; init; } = 256 * 1024;

    /// <summary>A TCP connection with no traffic either way for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long one connect to an endpoint may take before the next endpoint is tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Endpoints tried per client connection before giving up (kube-proxy's userspace proxier tried 4).</summary>
    public int MaxConnectAttempts { get; init; } = 4;

    /// <summary>Connections to an endpoint removed from its service stay open this long, then are closed.</summary>
    public TimeSpan DrainPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A UDP client session idle for this long is dropped (kube-proxy's --udp-timeout).</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest UDP datagram relayed.</summary>
    public int UdpMaxDatagram { get; init; } = 65535;

    /// <summary>Clients remembered per service port for ClientIP affinity.</summary>
    public int AffinityCapacity { get; init; } = 65536;

    /// <summary>
    /// Most TCP connections relayed at once (spread evenly over the loops); beyond it clients wait
    /// in the kernel's listen queue until a connection closes, as at HAProxy's maxconn. Zero
    /// derives it from the descriptor limit — each connection takes two descriptors, and a reserve
    /// is kept for the runtime — so the proxy never runs itself out of descriptors.
    /// </summary>
    public int MaxConnections { get; init; }

    /// <summary>listen(2) backlog.</summary>
    public int Backlog { get; init; } = 4096;

    /// <summary>
    /// How long a loop keeps polling epoll without sleeping after it last had work; zero sleeps at
    /// once. A short spin saves the wake-up latency between closely spaced events (the default
    /// 20 µs raised keep-alive throughput by a quarter on the 2-core bench machine) and costs
    /// nothing when idle.
    /// </summary>
    public TimeSpan BusyPoll { get; init; } = TimeSpan.FromMicroseconds(20);

    /// <summary>
    /// Batch the calls of a connection whose result is not needed at once (epoll registration,
    /// TCP_NODELAY, sends of buffered bytes, close) through io_uring, one io_uring_enter per loop iteration, when the kernel
    /// allows it (6.7 or later, io_uring not disabled); false makes each a plain system call.
    /// </summary>
    public bool IoUring { get; init; } = true;

    /// <summary>How often loops check timeouts and drains.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        Check(Threads is >= 1 and <= 256, nameof(Threads), "must be between 1 and 256");
        Check(BufferSize is >= 1024 and <= 1 << 20, nameof(BufferSize), "must be between 1 KiB and 1 MiB");
        Check(SpliceChunk is >= 4096 and <= 1 << 20, nameof(SpliceChunk), "must be between 4 KiB and 1 MiB");
        Check(IdleTimeout > TimeSpan.Zero, nameof(IdleTimeout), "must be positive");
        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Check(MaxConnectAttempts >= 1, nameof(MaxConnectAttempts), "must be at least 1");
        Check(DrainPeriod >= TimeSpan.Zero, nameof(DrainPeriod), "must not be negative");
        Check(UdpIdleTimeout > TimeSpan.Zero, nameof(UdpIdleTimeout), "must be positive");
        Check(AffinityCapacity >= 1, nameof(AffinityCapacity), "must be at least 1");
        Check(MaxConnections >= 0, nameof(MaxConnections), "must not be negative");
        Check(SweepInterval > TimeSpan.Zero, nameof(SweepInterval), "must be positive");
        Check(BusyPoll >= TimeSpan.Zero && BusyPoll <= TimeSpan.FromMilliseconds(10), nameof(BusyPoll), "must be between 0 and 10 ms");
    }

    private static void Check(bool ok, string name, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, message);
        }
    }
}
