using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using KubeProxyFast.ApiServer;
using KubeProxyFast.ApiServer.Registry.Encryption;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Cli.Hosting;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>The flags of the apiserver role, kube-apiserver's where it has them (<c>--etcd-servers</c>, <c>--service-cluster-ip-range</c>, …).</summary>
internal sealed partial class ApiServerFlags : IRoleFlags
{
    private static readonly ApiServerOptions Defaults = new();

    private readonly Option<string> _etcd = new("--etcd-servers")
    {
        Description = "Comma-separated etcd URLs (http://127.0.0.1:2379,…); without it the embedded store in --data-dir is used",
        HelpName = "urls",
    };

    private readonly Option<string> _dataDir = new("--data-dir")
    {
        Description = "Directory of the embedded store, the PKI (tls/), the node token and the written kubeconfig [default: /var/lib/kpf/server as root, ~/.kpf/server otherwise]",
        HelpName = "dir",
    };

    private readonly Option<string> _bind = new("--bind-address")
    {
        Description = "Address to serve HTTPS on (0.0.0.0: every IPv4 address of the host, :: every address)",
        HelpName = "ip",
        DefaultValueFactory = _ => IPAddress.Any.ToString(),
    };

    private readonly Option<string> _ipRange = new("--service-cluster-ip-range")
    {
        Description = "IPv4 CIDR that cluster IPs are allocated from",
        HelpName = "cidr",
        DefaultValueFactory = _ => Defaults.ServiceClusterIpRange,
    };

    /// <summary><c>--service-cluster-ip-range</c>: in <c>kpf server</c> node IPAM reads it too, to leave the range out of pod CIDRs.</summary>
    public Option<string> ServiceClusterIpRange => _ipRange;

    private readonly Option<string> _portRange = new("--service-node-port-range")
    {
        Description = "Range that node ports are allocated from",
        HelpName = "first-last",
        DefaultValueFactory = _ => Defaults.ServiceNodePortRange,
    };

    private readonly Option<string[]> _cors = new("--cors-allowed-origins")
    {
        Description = "Regular expressions of the origins (web pages) allowed to use the API, comma-separated or repeated; each must match the " +
            "whole host, e.g. '//example\\.com(:|$)'. Requests with any other Origin header are refused (403) [default: none]",
        HelpName = "patterns",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _kubeconfig = new("--write-kubeconfig")
    {
        Description = "Where to write the admin kubeconfig (https://127.0.0.1:<port>, the server CA, the admin's client certificate) [default: <data-dir>/kubeconfig]",
        HelpName = "file",
    };

    private readonly Option<bool> _repair = new("--repair")
    {
        Description = "When the embedded store's write-ahead log is damaged, keep a copy of the damaged file (<file>.<time>.corrupt), " +
            "cut the log at its last good record and start, logging what was dropped; without it a damaged log stops the server",
    };

    private readonly Option<string> _encryption = new("--encryption-provider-config")
    {
        Description = "Kubernetes' EncryptionConfiguration file (apiserver.config.k8s.io/v1: aesgcm, aescbc, identity) saying how resources " +
            "are encrypted in the store [default: <data-dir>/" + EncryptionConfigurationFile.DefaultFileName + ", made on first start: Secrets with a new AES-GCM key]",
        HelpName = "file",
    };

    private readonly EtcdTlsFlags _etcdTls = new();

    private readonly Option<TimeSpan?> _eventTtl =
        FlagParts.Duration("--event-ttl", "How long events are kept after their last change (deleted by the store through leases)", Defaults.EventTtl, allowZero: false);

    /// <summary>The flags, with their validators.</summary>
    public ApiServerFlags()
    {
        _bind.Validators.Add(result => Address(result, "--bind-address"));
        ValidateServing();
        _ipRange.Validators.Add(result => Check(result, "--service-cluster-ip-range", t => Allocation(t, ipRange: true)));
        _portRange.Validators.Add(result => Check(result, "--service-node-port-range", t => Allocation(t, ipRange: false)));
        _cors.Validators.Add(result =>
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
    }

    /// <inheritdoc/>
    public void AddTo(Command command)
    {
        Option[] options = [_etcd, _dataDir, _bind, _ipRange, _portRange, _cors, _kubeconfig, _repair, _encryption, _eventTtl];
        foreach (var option in options.Concat(ServingOptions()).Concat(_etcdTls.Options))
        {
            command.Options.Add(option);
        }

        AddServingRules(command);
        _etcdTls.AddRules(command, _etcd);
    }

    /// <inheritdoc/>
    public IRole Bind(ParseResult parse)
    {
        var directory = parse.GetValue(_dataDir) ?? DefaultDataDirectory();
        return new ApiServerRole(new ApiServerSettings(
            parse.GetValue(_etcd) is { Length: > 0 } servers ? servers : null,
            directory,
            parse.GetValue(_kubeconfig) ?? Path.Combine(directory, "kubeconfig"),
            parse.GetValue(_repair),
            Defaults with
            {
                BindAddress = Unmapped(IPAddress.Parse(parse.GetValue(_bind)!)),
                CorsAllowedOrigins = Origins(parse.GetValue(_cors)),
                Port = parse.GetValue(_securePort),
                AdvertiseAddress = AdvertiseAddress(parse),
                ServiceClusterIpRange = parse.GetValue(_ipRange)!,
                ServiceNodePortRange = parse.GetValue(_portRange)!,
                EventTtl = parse.GetValue(_eventTtl) ?? Defaults.EventTtl,
            },
            BindServing(parse),
            parse.GetValue(_encryption) is { Length: > 0 } encryption ? encryption : null,
            _etcdTls.Bind(parse)));
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

    private static void Check(OptionResult result, string name, Action<string> parse)
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
}
