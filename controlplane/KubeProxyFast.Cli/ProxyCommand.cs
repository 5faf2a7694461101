using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using KubeProxyFast.Dataplane.Balancing;
using KubeProxyFast.Dataplane.Proxier;
using KubeProxyFast.Dataplane.Relay;
using KubeProxyFast.KubeProxy.Agent;
using KubeProxyFast.KubeProxy.Flags;
using KubeProxyFast.KubeProxy.Metrics;
using KubeProxyFast.KubeProxy.Netfilter;
using KubeProxyFast.KubeProxy.Pipeline;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf proxy --config services.yaml</c>: kube-proxy on its own, serving the Services and
/// Endpoints of a file and following its changes, until SIGINT or SIGTERM. Flags are named and
/// defaulted as kube-proxy's where kube-proxy has them (<c>--udp-timeout</c>, <c>--metrics-bind-address</c>).
/// </summary>
internal static class ProxyCommand
{
    private static readonly ProxyEngineOptions Defaults = new();

    private static readonly (string Name, BalancingMode Value)[] BalancingChoices =
        [("random", BalancingMode.Random), ("round-robin", BalancingMode.RoundRobin)];

    private static readonly (string Name, RelayMode Value)[] RelayChoices =
        [("auto", RelayMode.Auto), ("splice", RelayMode.Splice), ("buffer", RelayMode.Buffer)];

    private static readonly NetfilterSyncLoopOptions NetfilterDefaults = new();

    private static readonly ProxyPipelineOptions SyncDefaults = new();

    private static readonly (string Name, ProxyMode Value)[] ModeChoices =
        [("direct", ProxyMode.Direct), ("userspace", ProxyMode.Userspace), ("kernel", ProxyMode.Kernel)];

    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "File of v1 Services and Endpoints (YAML or JSON, several documents or a List) to serve; " +
                "reloaded when it changes, and a bad version is rejected whole while the last good one keeps serving",
            HelpName = "file",
        };
        var kubeconfig = new Option<string>("--kubeconfig")
        {
            Description = "Take Services and Endpoints from the apiserver of this kubeconfig's current context (list, then watch; " +
                "the last state keeps serving while the apiserver is away)",
            HelpName = "file",
        };
        var master = new Option<Uri>("--master")
        {
            Description = "The apiserver's URL (overrides the server of --kubeconfig, as kube-proxy's --master)",
            HelpName = "url",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    result.AddError($"--master: \"{text}\": must be an http:// or https:// URL, e.g. http://127.0.0.1:8080");
                    return null;
                }

                return uri;
            },
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Event loop threads, each with its own listeners and connections",
            DefaultValueFactory = _ => Defaults.Threads,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 256)
                {
                    result.AddError($"--threads: \"{text}\": must be a number between 1 and 256");
                }

                return n;
            },
        };
        var balancing = CommandParts.Choice("--balancing", "How new connections are spread over a service port's endpoints", BalancingChoices, Defaults.Balancing);
        var relay = CommandParts.Choice("--relay", "How TCP bytes are moved: copy through buffers, splice(2), or buffers switching to splice for bulk transfers",
            RelayChoices, Defaults.Relay);
        var drain = Duration("--drain-period", "How long connections to a removed endpoint or service port stay open", Defaults.DrainPeriod, allowZero: true);
        var idle = Duration("--idle-timeout", "A TCP connection with no traffic either way for this long is closed", Defaults.IdleTimeout, allowZero: false);
        var udp = Duration("--udp-timeout", "A UDP client session idle for this long is dropped (as kube-proxy's --udp-timeout)",
            Defaults.UdpIdleTimeout, allowZero: false);
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = "Most TCP connections relayed at once; further clients wait in the listen queue (0: derived from the open-files limit)",
            HelpName = "n",
            DefaultValueFactory = _ => 0,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    result.AddError($"--max-connections: \"{text}\": must be a non-negative number");
                }

                return n;
            },
        };
        var busyPoll = Duration("--busy-poll", "After work, an event loop polls this long without sleeping (saves wake-up latency; 0 sleeps at once)",
            Defaults.BusyPoll, allowZero: true);
        var noIoUring = new Option<bool>("--no-io-uring")
        {
            Description = "Make every epoll_ctl, setsockopt, send and close of a connection a plain system call instead of batching them through io_uring",
        };
        var metrics = new Option<string>("--metrics-bind-address")
        {
            Description = "ip:port of /metrics and /healthz (port 0: any free port; \"\" turns them off)",
            HelpName = "ip:port",
            DefaultValueFactory = _ => $"127.0.0.1:{MetricsServer.DefaultPort}",
        };
        metrics.Validators.Add(result => _ = BindAddress(result.GetValueOrDefault<string>() ?? "", result));
        var logLevel = CommandParts.LogLevelOption();
        var mode = CommandParts.Choice("--proxy-mode",
            "direct: each service port listens on its own addresses, no netfilter; userspace: nf_tables redirects service addresses " +
            "to a local proxy port per service port; kernel: nf_tables DNATs service traffic straight to endpoints (needs root)",
            ModeChoices, ProxyMode.Direct);
        var syncPeriod = Duration("--sync-period",
            "Longest time between two syncs, changes or not; the netfilter table is read back and repaired if it drifted",
            SyncDefaults.SyncPeriod, allowZero: false);
        var minSyncPeriod = Duration("--min-sync-period", "Least time between two syncs (beyond a burst of 2); faster changes are merged into one",
            SyncDefaults.MinSyncPeriod, allowZero: true);
        var keepRules = new Option<bool>("--keep-rules")
        {
            Description = "Leave the netfilter table ip kpf in place on exit (it is deleted by default)",
        };

        var command = new Command("proxy",
            "Run kube-proxy: serve the Services and Endpoints of a file (--config) or of an apiserver (--kubeconfig, --master). In direct mode each service port listens " +
            "on clusterIP:port, every externalIP:port and 0.0.0.0:nodePort and no netfilter rules are written; in userspace " +
            "and kernel mode the rules live in the nf_tables table ip kpf.")
        {
            config, kubeconfig, master, mode, threads, balancing, relay, drain, idle, udp, maxConnections, busyPoll, noIoUring, syncPeriod, minSyncPeriod, keepRules, metrics, logLevel,
        };
        command.Validators.Add(result =>
        {
            var fromFile = result.GetResult(config) is not null;
            var fromApiServer = result.GetResult(kubeconfig) is not null || result.GetResult(master) is not null;
            if (fromFile && fromApiServer)
            {
                result.AddError("--config and --kubeconfig/--master are two sources: give one (a file, or an apiserver)");
            }
            else if (!fromFile && !fromApiServer)
            {
                result.AddError("give a source: --config FILE (Services and Endpoints in a file) or --kubeconfig FILE / --master URL (from an apiserver)");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ProxyAgentOptions
            {
                ConfigPath = parse.GetValue(config),
                Kubeconfig = parse.GetValue(kubeconfig),
                Master = parse.GetValue(master),
                Mode = parse.GetValue(mode) ?? ProxyMode.Direct,
                Netfilter = NetfilterDefaults with { KeepRulesOnExit = parse.GetValue(keepRules) },
                Sync = SyncDefaults with
                {
                    SyncPeriod = parse.GetValue(syncPeriod) ?? SyncDefaults.SyncPeriod,
                    MinSyncPeriod = parse.GetValue(minSyncPeriod) ?? SyncDefaults.MinSyncPeriod,
                },
                Engine = Defaults with
                {
                    Threads = parse.GetValue(threads),
                    Balancing = parse.GetValue(balancing) ?? Defaults.Balancing,
                    Relay = parse.GetValue(relay) ?? Defaults.Relay,
                    DrainPeriod = parse.GetValue(drain) ?? Defaults.DrainPeriod,
                    IdleTimeout = parse.GetValue(idle) ?? Defaults.IdleTimeout,
                    UdpIdleTimeout = parse.GetValue(udp) ?? Defaults.UdpIdleTimeout,
                    BusyPoll = parse.GetValue(busyPoll) ?? Defaults.BusyPoll,
                    IoUring = !parse.GetValue(noIoUring),
                    MaxConnections = parse.GetValue(maxConnections),
                },
                MetricsBindAddress = BindAddress(parse.GetValue(metrics) ?? "", null),
            };
            return Run(options, parse.GetValue(logLevel) ?? LogLevel.Information, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> Run(ProxyAgentOptions options, LogLevel logLevel, TextWriter error, CancellationToken cancellationToken)
    {
        foreach (var (flag, path) in new[] { ("--config", options.ConfigPath), ("--kubeconfig", options.Kubeconfig) })
        {
            if (path is not null && Unreadable(path) is { } problem)
            {
                await error.WriteLineAsync($"kpf proxy: {flag} {path}: {problem}");
                return 1;
            }
        }

        using var loggerFactory = CommandParts.CreateLoggerFactory(logLevel);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = CommandParts.StopOnSignals(stop);
        ProxyAgent agent;
        try
        {
            agent = await ProxyAgent.StartAsync(options, loggerFactory, stop.Token);
        }
        catch (ProxyStartException e)
        {
            await error.WriteLineAsync($"kpf proxy: cannot start: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }

        await using (agent)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    /// <summary>Why <paramref name="path"/> cannot be read, or null when it can.</summary>
    private static string? Unreadable(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a directory, not a file";
        }

        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "no such file";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"cannot read it: {e.Message}";
        }
    }

    private static Option<TimeSpan?> Duration(string name, string description, TimeSpan defaultValue, bool allowZero)
    {
        return new Option<TimeSpan?>(name)
        {
            Description = $"{description}; a Go duration such as 250ms, 10s, 1h30m [default: {GoDuration.Format(defaultValue)}]",
            HelpName = "duration",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!GoDuration.TryParse(text, out var value, out var problem))
                {
                    result.AddError($"{name}: {problem} (a number with a unit: ns, us, ms, s, m, h; e.g. 10s)");
                }
                else if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
                {
                    result.AddError($"{name}: \"{text}\": must be {(allowZero ? "zero or positive" : "positive")}");
                }

                return value;
            },
        };
    }

    /// <summary>The metrics address, null when off; an error on <paramref name="result"/> when malformed.</summary>
    private static IPEndPoint? BindAddress(string text, OptionResult? result)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (!HostPort.TryParse(text, MetricsServer.DefaultPort, out var endPoint, out var problem))
        {
            result?.AddError($"--metrics-bind-address: {problem}");
        }

        return endPoint;
    }
}
