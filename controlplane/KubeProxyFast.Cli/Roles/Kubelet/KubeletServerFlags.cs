using System.CommandLine;
using System.Globalization;
using System.Net;
using KubeProxyFast.Api.Validation;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Kubelet.Server;

namespace KubeProxyFast.Cli.Roles.Kubelet;

/// <summary>
/// The kubelet's API flags, named as the kubelet's, defaulted as a kubelet run with
/// <c>--anonymous-auth=false --authentication-token-webhook --authorization-mode=Webhook</c> (what
/// kubeadm and k3s configure): <c>--enable-server</c>, <c>--address</c>, <c>--port</c>,
/// <c>--tls-cert-file</c>, <c>--tls-private-key-file</c>, <c>--client-ca-file</c>,
/// <c>--anonymous-auth</c>, <c>--authentication-token-webhook</c>, <c>--authorization-mode</c>.
/// </summary>
internal sealed class KubeletServerFlags
{
    private static readonly KubeletServerOptions Defaults = new();

    private readonly Option<bool> _enableServer = new("--enable-server")
    {
        Description = "Serve the kubelet's API (--address:--port) [default: true]",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<IPAddress> _address = new("--address")
    {
        Description = "The address the kubelet's API serves on [default: 0.0.0.0, every address]",
        HelpName = "ip",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            // Strictly dotted quads or IPv6, as Go's ParseIP: IPAddress.TryParse takes "198.18.0" too.
            if (NameValidation.IsValidIP(text).Count > 0 || !IPAddress.TryParse(text, out var address))
            {
                result.AddError($"--address: \"{text}\" is not an IP address");
                return IPAddress.Any;
            }

            return address;
        },
    };

    private readonly Option<int> _port = new("--port")
    {
        Description = $"The port of the kubelet's API (HTTPS) [default: {KubeletServerOptions.DefaultPort}]",
        HelpName = "port",
        DefaultValueFactory = _ => KubeletServerOptions.DefaultPort,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            // As the kubelet's validation: 0 does not disable the server (--enable-server=false does).
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                result.AddError($"--port: \"{text}\": must be between 1 and 65535, inclusive");
            }

            return port;
        },
    };

    private readonly Option<string> _tlsCertFile = new("--tls-cert-file")
    {
        Description = "The serving certificate (then its chain) of the kubelet's API [default: <data-dir>/pki/kubelet-server.crt when a CSR issued it, else a self-signed <data-dir>/pki/kubelet.crt]",
        HelpName = "file",
    };

    private readonly Option<string> _tlsKeyFile = new("--tls-private-key-file")
    {
        Description = "The private key of --tls-cert-file",
        HelpName = "file",
    };

    private readonly Option<string> _clientCaFile = new("--client-ca-file")
    {
        Description = "CAs of the client certificates the kubelet's API accepts (CN = user, O = groups) [default: client-ca-file of ConfigMap kube-system/extension-apiserver-authentication]",
        HelpName = "file",
    };

    private readonly Option<bool> _anonymousAuth = new("--anonymous-auth")
    {
        Description = "Requests without credentials act as system:anonymous (else 401) [default: false]",
    };

    private readonly Option<bool> _tokenWebhook = new("--authentication-token-webhook")
    {
        Description = "Bearer tokens are checked with a TokenReview against the apiserver [default: true]",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<KubeletAuthorizationMode?> _authorizationMode = FlagParts.Choice(
        "--authorization-mode", "How the kubelet's API authorizes requests: Webhook asks the apiserver with a SubjectAccessReview",
        [("Webhook", KubeletAuthorizationMode.Webhook), ("AlwaysAllow", KubeletAuthorizationMode.AlwaysAllow)], Defaults.AuthorizationMode);

    /// <summary>Adds the flags to <paramref name="command"/>, with a check that the TLS files come together.</summary>
    public void AddTo(Command command)
    {
        Option[] options = [_enableServer, _address, _port, _tlsCertFile, _tlsKeyFile, _clientCaFile, _anonymousAuth, _tokenWebhook, _authorizationMode];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if ((result.GetValue(_tlsCertFile) is null) != (result.GetValue(_tlsKeyFile) is null))
            {
                result.AddError("--tls-cert-file and --tls-private-key-file go together: give both or neither");
            }
        });
    }

    /// <summary>The server's options, or null with <c>--enable-server=false</c>.</summary>
    public KubeletServerOptions? Options(ParseResult parse) => !parse.GetValue(_enableServer) ? null : new()
    {
        Address = parse.GetValue(_address) ?? Defaults.Address,
        Port = parse.GetValue(_port),
        TlsCertFile = parse.GetValue(_tlsCertFile) is { } cert ? Path.GetFullPath(cert) : null,
        TlsPrivateKeyFile = parse.GetValue(_tlsKeyFile) is { } key ? Path.GetFullPath(key) : null,
        ClientCaFile = parse.GetValue(_clientCaFile) is { } ca ? Path.GetFullPath(ca) : null,
        AnonymousAuth = parse.GetValue(_anonymousAuth),
        AuthenticationTokenWebhook = parse.GetValue(_tokenWebhook),
        AuthorizationMode = parse.GetValue(_authorizationMode) ?? Defaults.AuthorizationMode,
    };
}
