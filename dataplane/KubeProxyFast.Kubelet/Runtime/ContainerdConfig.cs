using System.Globalization;
using System.Text;

namespace KubeProxyFast.Kubelet.Runtime;

/// <summary>
/// The embedded containerd's settings and their rendering as containerd 1.6's <c>config.toml</c>
/// (<c>version = 2</c>). Everything containerd writes lives under <see cref="Directory"/>
/// (<c>&lt;data&gt;/agent/containerd/</c>): root, state, the gRPC and ttrpc sockets, the opt
/// directory (default /opt/containerd) and the pods' network namespace files
/// (<c>netns_mounts_under_state_dir</c>; default /var/run/netns) — never the machine's /run/containerd.
/// </summary>
public sealed record ContainerdConfig
{
    /// <summary>containerd's own directory, <c>&lt;data&gt;/agent/containerd</c>.</summary>
    public required string Directory { get; init; }

    /// <summary>The sandbox (pause) image the CRI plugin runs for each pod.</summary>
    public required string SandboxImage { get; init; }

    /// <summary>Where the CNI plugins are.</summary>
    public string CniBinDirectory { get; init; } = "/usr/lib/cni";

    /// <summary>Where the CNI network configuration is (<c>&lt;data&gt;/agent/etc/cni/net.d</c> by default).</summary>
    public required string CniConfDirectory { get; init; }

    /// <summary>Registry mirrors and per-host TLS/credentials.</summary>
    public RegistryConfig Registry { get; init; } = RegistryConfig.Empty;

    /// <summary>
    /// <c>restrict_oom_score_adj</c>: keep containers' oom_score_adj at or above containerd's own
    /// instead of the sandbox's -998. Needed without CAP_SYS_RESOURCE (this project's machines lack it
    /// in the bounding set: writing -998 fails with EPERM and runc dies with "can't get final child's
    /// PID from pipe: EOF"), so it defaults to whether this process lacks it.
    /// </summary>
    public bool RestrictOomScoreAdj { get; init; } = !HasCapability(CapSysResource);

    /// <summary>containerd's log level (<c>[debug] level</c>).</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>Content and snapshots (<c>root</c>).</summary>
    public string RootDirectory => Path.Combine(Directory, "root");

    /// <summary>Runtime state, shim bundles, pods' netns files (<c>state</c>).</summary>
    public string StateDirectory => Path.Combine(Directory, "state");

    /// <summary>The gRPC (CRI and containerd API) socket.</summary>
    public string SocketPath => Path.Combine(Directory, "containerd.sock");

    /// <summary>The ttrpc socket (shims' events).</summary>
    public string TtrpcSocketPath => SocketPath + ".ttrpc";

    /// <summary>Where <see cref="Render"/>'s text is written.</summary>
    public string ConfigPath => Path.Combine(Directory, "config.toml");

    /// <summary>containerd's output.</summary>
    public string LogPath => Path.Combine(Directory, "containerd.log");

    /// <summary>The settings for a kubelet: everything under <c>&lt;data&gt;/agent/</c>.</summary>
    public static ContainerdConfig ForDataDirectory(string dataDirectory, string sandboxImage, string cniBinDirectory, RegistryConfig? registry = null) => new()
    {
        Directory = Path.Combine(dataDirectory, "agent", "containerd"),
        SandboxImage = sandboxImage,
        CniBinDirectory = cniBinDirectory,
        CniConfDirectory = Path.Combine(dataDirectory, "agent", "etc", "cni", "net.d"),
        Registry = registry ?? RegistryConfig.Empty,
    };

    // Snapshotters this machine's kernel and packages do not have: without them containerd only
    // logs "skip plugin" lines at start (checked on containerd 1.6.20, see PLATFORM.md).
    private static readonly string[] DisabledPlugins =
    [
        "io.containerd.snapshotter.v1.aufs",
        "io.containerd.snapshotter.v1.btrfs",
        "io.containerd.snapshotter.v1.devmapper",
        "io.containerd.snapshotter.v1.zfs",
    ];

    private const string Cri = "plugins.\"io.containerd.grpc.v1.cri\"";

    /// <summary>The config.toml text.</summary>
    public string Render()
    {
        var b = new StringBuilder();
        b.AppendLine("# Written by the kpf kubelet; rewritten at every start.");
        b.AppendLine("version = 2");
        Line(b, "root", RootDirectory);
        Line(b, "state", StateDirectory);
        b.Append("disabled_plugins = ").AppendLine(Array(DisabledPlugins));
        b.AppendLine();
        b.AppendLine("[grpc]");
        Line(b, "  address", SocketPath);
        b.AppendLine();
        b.AppendLine("[ttrpc]");
        Line(b, "  address", TtrpcSocketPath);
        b.AppendLine();
        b.AppendLine("[debug]");
        Line(b, "  level", LogLevel);
        b.AppendLine();
        b.AppendLine("[plugins.\"io.containerd.internal.v1.opt\"]");
        Line(b, "  path", Path.Combine(Directory, "opt"));
        b.AppendLine();
        b.Append('[').Append(Cri).AppendLine("]");
        Line(b, "  sandbox_image", SandboxImage);
        Line(b, "  stream_server_address", "127.0.0.1");
        Line(b, "  stream_server_port", "0");
        b.AppendLine("  enable_selinux = false");
        b.AppendLine("  netns_mounts_under_state_dir = true");
        b.Append("  restrict_oom_score_adj = ").AppendLine(RestrictOomScoreAdj ? "true" : "false");
        b.AppendLine();
        b.Append('[').Append(Cri).AppendLine(".containerd]");
        Line(b, "  snapshotter", "overlayfs");
        Line(b, "  default_runtime_name", "runc");
        b.AppendLine();
        b.Append('[').Append(Cri).AppendLine(".containerd.runtimes.runc]");
        Line(b, "  runtime_type", "io.containerd.runc.v2");
        b.AppendLine();
        // cgroup v1 (hybrid) with the cgroupfs driver: the kubelet names cgroup parents as paths.
        b.Append('[').Append(Cri).AppendLine(".containerd.runtimes.runc.options]");
        b.AppendLine("  SystemdCgroup = false");
        b.AppendLine();
        b.Append('[').Append(Cri).AppendLine(".cni]");
        Line(b, "  bin_dir", CniBinDirectory);
        Line(b, "  conf_dir", CniConfDirectory);
        foreach (var (host, endpoints) in Registry.Mirrors.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            b.AppendLine();
            b.Append('[').Append(Cri).Append(".registry.mirrors.").Append(Quote(host)).AppendLine("]");
            b.Append("  endpoint = ").AppendLine(Array(endpoints));
        }
        foreach (var (host, config) in Registry.Configs.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var table = $"{Cri}.registry.configs.{Quote(host)}";
            if (config.InsecureSkipVerify || config.CaFile is not null || config.CertFile is not null || config.KeyFile is not null)
            {
                b.AppendLine();
                b.Append('[').Append(table).AppendLine(".tls]");
                b.Append("  insecure_skip_verify = ").AppendLine(config.InsecureSkipVerify ? "true" : "false");
                OptionalLine(b, "  ca_file", config.CaFile);
                OptionalLine(b, "  cert_file", config.CertFile);
                OptionalLine(b, "  key_file", config.KeyFile);
            }
            if (config.Username is not null || config.Password is not null || config.Auth is not null || config.IdentityToken is not null)
            {
                b.AppendLine();
                b.Append('[').Append(table).AppendLine(".auth]");
                OptionalLine(b, "  username", config.Username);
                OptionalLine(b, "  password", config.Password);
                OptionalLine(b, "  auth", config.Auth);
                OptionalLine(b, "  identitytoken", config.IdentityToken);
            }
        }
        return b.ToString();
    }

    /// <summary>Makes the directories and writes <see cref="ConfigPath"/> atomically.</summary>
    public void Write()
    {
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(CniConfDirectory);
        var temp = ConfigPath + ".tmp";
        File.WriteAllText(temp, Render());
        File.Move(temp, ConfigPath, overwrite: true);
    }

    private const int CapSysResource = 24;

    /// <summary>Whether this process has capability <paramref name="cap"/> in effect (CapEff of /proc/self/status).</summary>
    internal static bool HasCapability(int cap)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    return (ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << cap)) != 0;
                }
            }
        }
        catch (IOException)
        {
        }
        return false;
    }

    private static void Line(StringBuilder b, string key, string value) => b.Append(key).Append(" = ").AppendLine(Quote(value));

    private static void OptionalLine(StringBuilder b, string key, string? value)
    {
        if (value is not null)
        {
            Line(b, key, value);
        }
    }

    private static string Array(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    /// <summary>A TOML basic string: quotes, backslashes and control characters escaped.</summary>
    internal static string Quote(string value)
    {
        var b = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }
                    break;
            }
        }
        return b.Append('"').ToString();
    }
}
