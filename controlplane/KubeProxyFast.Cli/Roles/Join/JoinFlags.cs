using System.CommandLine;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Roles.Join;

/// <summary>
/// <c>kpf agent --server URL --token TOKEN</c> (or <c>--token-file FILE</c>), as k3s's agent flags:
/// join the cluster of <c>--server</c>, pinning its CA by the token's hash and bootstrapping the
/// node's certificates, instead of running with a given <c>--kubeconfig</c>/<c>--master</c>.
/// </summary>
internal sealed class JoinFlags
{
    private readonly Option<Uri> _server = new("--server", "-s")
    {
        Description = "Join the cluster of this server (https://HOST:6443): its CA is pinned by the token's hash, the node's certificates come from CertificateSigningRequests",
        HelpName = "url",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                result.AddError($"--server: \"{text}\": must be an https:// URL, e.g. https://10.0.0.1:6443");
                return null;
            }

            return uri;
        },
    };

    private readonly Option<JoinToken> _token = new("--token", "-t")
    {
        Description = "The node join token, K10<sha256 of the server CA>::<id>.<secret> (kpf server writes it to <data-dir>/token)",
        HelpName = "token",
        CustomParser = result =>
        {
            if (JoinToken.TryParse(result.Tokens[0].Value, out var token, out var problem))
            {
                return token;
            }

            result.AddError("--token: " + problem);
            return null;
        },
    };

    private readonly Option<string> _tokenFile = new("--token-file")
    {
        Description = "A file holding the node join token (read when the agent starts)",
        HelpName = "file",
    };

    /// <summary>Adds the flags and their rules: a token with <c>--server</c>, and <c>--server</c> instead of <paramref name="kubeconfig"/>/<paramref name="master"/>.</summary>
    public void AddTo(Command command, Option kubeconfig, Option master)
    {
        command.Options.Add(_server);
        command.Options.Add(_token);
        command.Options.Add(_tokenFile);
        command.Validators.Add(result =>
        {
            var server = result.GetResult(_server) is not null;
            var token = result.GetResult(_token) is not null;
            var tokenFile = result.GetResult(_tokenFile) is not null;
            if (token && tokenFile)
            {
                result.AddError("--token and --token-file: give one");
            }

            if (server && !token && !tokenFile)
            {
                result.AddError("--server needs the node join token: --token TOKEN or --token-file FILE");
            }

            if (!server && (token || tokenFile))
            {
                result.AddError("--token/--token-file need --server URL (the server to join)");
            }

            if (server && (result.GetResult(kubeconfig) is not null || result.GetResult(master) is not null))
            {
                result.AddError("--server and --kubeconfig/--master are two ways to reach the apiserver: give one (--server joins with a token)");
            }
        });
    }

    /// <summary>The <c>--server</c> option (its presence makes the agent join).</summary>
    public Option<Uri> Server => _server;

    /// <summary>True when the command line asks to join.</summary>
    public bool Joins(ParseResult parse) => parse.GetValue(_server) is not null;

    /// <summary>The server to join.</summary>
    public Uri ServerOf(ParseResult parse) => parse.GetValue(_server) ?? throw new InvalidOperationException("--server was not given");

    /// <summary>How the token is read when the agent starts: the flag's, or the file's.</summary>
    public Func<JoinToken> TokenOf(ParseResult parse)
    {
        var token = parse.GetValue(_token);
        var file = parse.GetValue(_tokenFile);
        return () =>
        {
            if (token is not null)
            {
                return token;
            }

            try
            {
                return JoinToken.ReadFile(file!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new Hosting.RoleException($"--token-file {file}: {e.Message}", e);
            }
        };
    }
}
