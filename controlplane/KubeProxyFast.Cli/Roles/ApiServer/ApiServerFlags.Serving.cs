using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>
/// The flags of how the apiserver serves: HTTPS on <c>--secure-port</c> with its own PKI or the
/// operator's certificates, who may authenticate, the optional plain-HTTP loopback port and the
/// written kubeconfig's mode.
/// </summary>
internal sealed partial class ApiServerFlags
{
    /// <summary>kube-apiserver's and k3s's secure port.</summary>
    public const int DefaultSecurePort = 6443;

    private readonly Option<int> _securePort = Port("--secure-port", "Port to serve HTTPS on (0: any free port)", DefaultSecurePort);

    private readonly Option<int?> _insecurePort = new("--insecure-port")
    {
        Description = "Also serve plain HTTP on this port of --insecure-bind-address, where every request is cluster admin " +
            "(system:unsecured in system:masters) [default: off]",
        HelpName = "port",
        CustomParser = result => ParsePort("--insecure-port", result),
    };

    private readonly Option<string> _insecureBind = new("--insecure-bind-address")
    {
        Description = "Loopback address of --insecure-port (plain HTTP has no authentication, so it is never served elsewhere)",
        HelpName = "ip",
        DefaultValueFactory = _ => IPAddress.Loopback.ToString(),
    };

    private readonly Option<string> _advertise = new("--advertise-address")
    {
        Description = "Address published in the kubernetes Service's Endpoints and named by the serving certificate " +
            "[default: the bind address, or the host's first address when that is 0.0.0.0]",
        HelpName = "ip",
    };

    private readonly Option<string[]> _tlsSans = new("--tls-san")
    {
        Description = "More host names or addresses for the serving certificate, comma-separated or repeated",
        HelpName = "names",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _clusterDomain = new("--cluster-domain")
    {
        Description = "The cluster's DNS domain: the serving certificate names kubernetes.default.svc.<domain>",
        HelpName = "domain",
        DefaultValueFactory = _ => "cluster.local",
    };

    private readonly Option<string> _tlsCertFile = new("--tls-cert-file")
    {
        Description = "Serve this certificate (PEM, followed by its intermediates) instead of one issued from <data-dir>/tls/server-ca",
        HelpName = "file",
    };

    private readonly Option<string> _tlsKeyFile = new("--tls-private-key-file")
    {
        Description = "The private key of --tls-cert-file (PEM)",
        HelpName = "file",
    };

    private readonly Option<string> _clientCaFile = new("--client-ca-file")
    {
        Description = "More CAs whose client certificates authenticate users (CN the user, O the groups), besides <data-dir>/tls/client-ca",
        HelpName = "file",
    };

    private readonly Option<string> _tokenAuthFile = new("--token-auth-file")
    {
        Description = "Static bearer tokens, Kubernetes' CSV: token,user,uid,\"group1,group2\"",
        HelpName = "file",
    };

    private readonly Option<bool> _anonymousAuth = new("--anonymous-auth")
    {
        Description = "Let requests without credentials use /healthz, /livez, /readyz and /version (as system:anonymous); false answers them 401 too",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _kubeconfigMode = new("--write-kubeconfig-mode")
    {
        Description = "File mode of the written kubeconfig, in octal (0644 lets other users of the host act as cluster admin)",
        HelpName = "mode",
        DefaultValueFactory = _ => "0600",
    };

    private IEnumerable<Option> ServingOptions() =>
        [_securePort, _advertise, _tlsSans, _clusterDomain, _tlsCertFile, _tlsKeyFile, _clientCaFile, _tokenAuthFile, _anonymousAuth, _insecurePort, _insecureBind, _kubeconfigMode];

    private void ValidateServing()
    {
        _advertise.Validators.Add(result => Address(result, "--advertise-address"));
        _insecureBind.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>() ?? "";
            if (Address(result, "--insecure-bind-address") is { } address && !IPAddress.IsLoopback(Unmapped(address)))
            {
                result.AddError($"--insecure-bind-address: {text} is not a loopback address; plain HTTP has no authentication " +
                    "(every request on it is cluster admin), so it is served on 127.0.0.1 or ::1 only");
            }
        });
        _kubeconfigMode.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>() ?? "";
            if (FileMode(text) is null)
            {
                result.AddError($"--write-kubeconfig-mode: \"{text}\" is not an octal file mode such as 0600 or 0644");
            }
        });
    }

    private void AddServingRules(Command command)
    {
        command.Validators.Add(result =>
        {
            if ((result.GetResult(_tlsCertFile) is null) != (result.GetResult(_tlsKeyFile) is null))
            {
                result.AddError("--tls-cert-file and --tls-private-key-file go together: give both, or neither to serve a certificate of <data-dir>/tls/server-ca");
            }
        });
    }

    private ApiServerServingSettings BindServing(ParseResult parse) => new()
    {
        TlsSans = [.. (parse.GetValue(_tlsSans) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))],
        ClusterDomain = parse.GetValue(_clusterDomain)!,
        TlsCertFile = parse.GetValue(_tlsCertFile),
        TlsPrivateKeyFile = parse.GetValue(_tlsKeyFile),
        ClientCaFile = parse.GetValue(_clientCaFile),
        TokenAuthFile = parse.GetValue(_tokenAuthFile),
        AnonymousAuth = parse.GetValue(_anonymousAuth),
        InsecurePort = parse.GetValue(_insecurePort),
        InsecureBindAddress = Unmapped(IPAddress.Parse(parse.GetValue(_insecureBind)!)),
        KubeconfigMode = FileMode(parse.GetValue(_kubeconfigMode)!)!.Value,
    };

    private IPAddress? AdvertiseAddress(ParseResult parse) =>
        parse.GetValue(_advertise) is { Length: > 0 } text ? Unmapped(IPAddress.Parse(text)) : null;

    /// <summary>An octal mode (<c>0644</c>, <c>644</c>) of permission bits only, as k3s's <c>--write-kubeconfig-mode</c>.</summary>
    private static UnixFileMode? FileMode(string text)
    {
        if (text.Length is 0 or > 4 || text.Any(c => c is < '0' or > '7'))
        {
            return null;
        }

        var mode = Convert.ToInt32(text, 8);
        return mode <= 0x1FF ? (UnixFileMode)mode : null;
    }

    private static IPAddress? Address(OptionResult result, string name)
    {
        var text = result.GetValueOrDefault<string>() ?? "";
        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        result.AddError($"{name}: \"{text}\" is not an IP address");
        return null;
    }

    private static Option<int> Port(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "port",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParsePort(name, result) ?? 0,
    };

    private static int? ParsePort(string name, ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 65535)
        {
            result.AddError($"{name}: \"{text}\": must be a number from 0 to 65535");
            return null;
        }

        return n;
    }
}
