using System.CommandLine;
using KubeProxyFast.Cli.Hosting;
using KubeProxyFast.Client;

namespace KubeProxyFast.Cli.Flags;

/// <summary>
/// <c>--kubeconfig</c> and <c>--master</c> of a role that reaches an apiserver, as the Kubernetes
/// components take them: the kubeconfig's current context, its server overridden by <c>--master</c>.
/// One of the two is required.
/// </summary>
internal sealed class ApiServerClientFlags
{
    private readonly Option<string> _kubeconfig;

    private readonly Option<Uri> _master = MasterOption("The apiserver's URL (overrides the server of --kubeconfig)");

    /// <summary><c>--master</c>: an absolute http:// or https:// URL, described by <paramref name="description"/>.</summary>
    public static Option<Uri> MasterOption(string description) => new("--master")
    {
        Description = description,
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

    /// <summary>The flags; <paramref name="what"/> says what the role takes from the apiserver, for help.</summary>
    public ApiServerClientFlags(string what) => _kubeconfig = new Option<string>("--kubeconfig")
    {
        Description = $"Reach the apiserver of this kubeconfig's current context ({what})",
        HelpName = "file",
    };

    /// <summary>Adds the two flags and the rule that one is given.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_kubeconfig);
        command.Options.Add(_master);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_kubeconfig) is null && result.GetResult(_master) is null)
            {
                result.AddError("give the apiserver: --kubeconfig FILE or --master URL");
            }
        });
    }

    /// <summary>
    /// How the role reaches the apiserver when it starts: <c>--master</c>, else the server of
    /// <c>--kubeconfig</c>, read then (a missing or bad file is a <see cref="RoleException"/> naming it).
    /// </summary>
    public Func<KubeClient> Connect(ParseResult parse)
    {
        var master = parse.GetValue(_master);
        var kubeconfig = parse.GetValue(_kubeconfig);
        return () =>
        {
            if (master is not null)
            {
                return new KubeClient(master);
            }

            try
            {
                return KubeClient.FromKubeconfig(kubeconfig!);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new RoleException($"--kubeconfig {kubeconfig}: {e.Message}", e);
            }
        };
    }
}
