using System.CommandLine;
using System.Globalization;
using System.Net;
using KubeProxyFast.ApiServer;
using KubeProxyFast.Storage;
using KubeProxyFast.Storage.Embedded;
using KubeProxyFast.Storage.Etcd;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Cli;

/// <summary>
/// <c>kpf server</c>: the apiserver on etcd (<c>--etcd-servers</c>) or on the embedded store in
/// <c>--data-dir</c>, writing a kubeconfig for kubectl. Flags are kube-apiserver's where it has them.
/// </summary>
internal static partial class ServerCommand
{
    private static readonly ApiServerOptions Defaults = new();

    // Until the store answers, start is retried this often (kube-apiserver waits for etcd likewise).
    private static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var etcd = new Option<string>("--etcd-servers")
        {
            Description = "Comma-separated etcd URLs (http://127.0.0.1:2379,…); without it the embedded store in --data-dir is used",
            HelpName = "urls",
        };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory of the embedded store and of the written kubeconfig [default: /var/lib/kpf/server as root, ~/.kpf/server otherwise]",
            HelpName = "dir",
        };
        var bind = new Option<string>("--bind-address")
        {
            Description = "Address to listen on; loopback only until authentication exists",
            HelpName = "ip",
            DefaultValueFactory = _ => Defaults.BindAddress.ToString(),
        };
        bind.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>() ?? "";
            if (!IPAddress.TryParse(text, out var address))
            {
                result.AddError($"--bind-address: \"{text}\" is not an IP address");
            }
            else if (!IPAddress.IsLoopback(Unmapped(address)))
            {
                result.AddError($"--bind-address: {text} is not a loopback address; the apiserver has no authentication yet, so it only serves 127.0.0.1 or ::1");
            }
        });
        var port = new Option<int>("--port")
        {
            Description = "Port to serve HTTP on (0: any free port)",
            HelpName = "port",
            DefaultValueFactory = _ => Defaults.Port,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 65535)
                {
                    result.AddError($"--port: \"{text}\": must be a number from 0 to 65535");
                }

                return n;
            },
        };
        var ipRange = new Option<string>("--service-cluster-ip-range")
        {
            Description = "IPv4 CIDR that cluster IPs are allocated from",
            HelpName = "cidr",
            DefaultValueFactory = _ => Defaults.ServiceClusterIpRange,
        };
        ipRange.Validators.Add(result => Check(result, "--service-cluster-ip-range", t => Allocation(t, ipRange: true)));
        var portRange = new Option<string>("--service-node-port-range")
        {
            Description = "Range that node ports are allocated from",
            HelpName = "first-last",
            DefaultValueFactory = _ => Defaults.ServiceNodePortRange,
        };
        portRange.Validators.Add(result => Check(result, "--service-node-port-range", t => Allocation(t, ipRange: false)));
        var cors = new Option<string[]>("--cors-allowed-origins")
        {
            Description = "Regular expressions of the origins (web pages) allowed to use the API, comma-separated or repeated; each must match the " +
                "whole host, e.g. '//example\\.com(:|$)'. Requests with any other Origin header are refused (403) [default: none]",
            HelpName = "patterns",
            AllowMultipleArgumentsPerToken = false,
        };
        cors.Validators.Add(result =>
        {
            try
            {
                ApiServerOptions.Validate(Defaults with { CorsAllowedOrigins = Origins(result.GetValueOrDefault<string[]>()) });
            }
            catch (ArgumentException e)
            {
                result.AddError(e.InnerException?.Message ?? e.Message);
            }
        });
        var kubeconfig = new Option<string>("--write-kubeconfig")
        {
            Description = "Where to write the kubeconfig for this server [default: <data-dir>/kubeconfig]",
            HelpName = "file",
        };
        var repair = new Option<bool>("--repair")
        {
            Description = "When the embedded store's write-ahead log is damaged, keep a copy of the damaged file (<file>.<time>.corrupt), " +
                "cut the log at its last good record and start, logging what was dropped; without it a damaged log stops the server",
        };
        var logLevel = CommandParts.LogLevelOption();

        var command = new Command("server", "Run the apiserver: the v1 API (pods, services, endpoints, replication controllers, nodes, namespaces, " +
            "events) over etcd or the embedded store, for kubectl and the Kubernetes client libraries.")
        {
            etcd, dataDir, bind, port, ipRange, portRange, cors, kubeconfig, repair, logLevel,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var directory = parse.GetValue(dataDir) ?? DefaultDataDirectory();
            var settings = new ServerSettings(
                parse.GetValue(etcd) is { Length: > 0 } servers ? servers : null,
                directory,
                parse.GetValue(kubeconfig) ?? Path.Combine(directory, "kubeconfig"),
                parse.GetValue(repair),
                Defaults with
                {
                    BindAddress = Unmapped(IPAddress.Parse(parse.GetValue(bind)!)),
                    CorsAllowedOrigins = Origins(parse.GetValue(cors)),
                    Port = parse.GetValue(port),
                    ServiceClusterIpRange = parse.GetValue(ipRange)!,
                    ServiceNodePortRange = parse.GetValue(portRange)!,
                });
            return RunAsync(settings, parse.GetValue(logLevel) ?? LogLevel.Information, parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ServerSettings settings, LogLevel logLevel, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var loggerFactory = CommandParts.CreateLoggerFactory(logLevel);
        var logger = loggerFactory.CreateLogger("kpf.server");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = CommandParts.StopOnSignals(stop);
        IStore store;
        try
        {
            store = OpenStore(settings, loggerFactory.CreateLogger("kpf.store"));
        }
        catch (StoreCorruptionException e) when (e.Repairable)
        {
            await error.WriteLineAsync($"kpf server: cannot open the store: {e.Message}");
            await error.WriteLineAsync("kpf server: to keep a copy of the damaged file and cut the log at its last good record, run again with --repair");
            return 1;
        }
        catch (Exception e) when (e is StoreCorruptionException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            await error.WriteLineAsync($"kpf server: cannot open the store: {e.Message}");
            return 1;
        }

        await using (store)
        {
            var host = await StartWhenStoreAnswersAsync(store, settings, loggerFactory, logger, error, stop.Token);
            if (host is null)
            {
                return stop.IsCancellationRequested ? 0 : 1;
            }

            await using (host)
            {
                Kubeconfig.Write(settings.KubeconfigPath, host.Url);
                await output.WriteLineAsync($"kpf server: serving {host.Url} on {(settings.EtcdServers is null ? "the embedded store in " + settings.DataDirectory : "etcd " + settings.EtcdServers)}");
                await output.WriteLineAsync($"kpf server: kubeconfig written to {settings.KubeconfigPath} (kubectl --kubeconfig {settings.KubeconfigPath} get pods)");
                await output.FlushAsync(CancellationToken.None);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        return 0;
    }

    private static IStore OpenStore(ServerSettings settings, ILogger storeLogger) =>
        settings.EtcdServers is { } servers
            ? new EtcdStore(servers)
            : EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Path.Combine(settings.DataDirectory, "db"), Repair = settings.Repair, Logger = storeLogger });

    private static async Task<ApiServerHost?> StartWhenStoreAnswersAsync(
        IStore store, ServerSettings settings, ILoggerFactory loggerFactory, ILogger logger, TextWriter error, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await ApiServerHost.StartAsync(store, settings.Options, loggerFactory, cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                LogWaiting(logger, e.Message);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"kpf server: {e.Message}");
                return null;
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"kpf server: cannot listen on {settings.Options.BindAddress}:{settings.Options.Port}: {e.Message}");
                return null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                await Task.Delay(StoreRetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>::ffff:127.0.0.1 is 127.0.0.1: checked, bound and reported as such.</summary>
    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The patterns of every <c>--cors-allowed-origins</c>, each split at commas as Kubernetes' flag is.</summary>
    private static string[] Origins(string[]? values) =>
        values is null ? [] : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))];

    private static string DefaultDataDirectory() =>
        Environment.IsPrivilegedProcess
            ? "/var/lib/kpf/server"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kpf", "server");

    private static void Check(System.CommandLine.Parsing.OptionResult result, string name, Action<string> parse)
    {
        try
        {
            parse(result.GetValueOrDefault<string>() ?? "");
        }
        catch (ArgumentException e)
        {
            result.AddError($"{name}: {e.Message}");
        }
    }

    private static void Allocation(string text, bool ipRange)
    {
        var options = ipRange ? Defaults with { ServiceClusterIpRange = text } : Defaults with { ServiceNodePortRange = text };
        ApiServerOptions.Validate(options);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "waiting for the store: {Error}")]
    private static partial void LogWaiting(ILogger logger, string error);

    private sealed record ServerSettings(string? EtcdServers, string DataDirectory, string KubeconfigPath, bool Repair, ApiServerOptions Options);
}
