using System.CommandLine;
using KubeProxyFast.Cli.Flags;
using KubeProxyFast.Controllers.Certificates;

namespace KubeProxyFast.Cli.Roles.ControllerManager;

/// <summary>
/// kube-controller-manager's flags of the csrsigning controller: one CA for every signer
/// (<c>--cluster-signing-cert-file</c>/<c>-key-file</c>) or one per signer, and
/// <c>--cluster-signing-duration</c>. Without any, the signer is off (it says so in the log); a CA
/// that does not exist fails the parse, one that cannot be read the controller's start, with the files named.
/// </summary>
internal sealed class CsrSigningFlags
{
    private readonly Option<string> _certFile = File("--cluster-signing-cert-file", "PEM CA certificate of every cluster-scoped signer (not with the per-signer files)");
    private readonly Option<string> _keyFile = File("--cluster-signing-key-file", "PEM private key of --cluster-signing-cert-file");
    private readonly Option<string> _apiServerClientCert = File("--cluster-signing-kube-apiserver-client-cert-file", "PEM CA certificate of the kubernetes.io/kube-apiserver-client signer");
    private readonly Option<string> _apiServerClientKey = File("--cluster-signing-kube-apiserver-client-key-file", "PEM private key of the kubernetes.io/kube-apiserver-client signer");
    private readonly Option<string> _kubeletClientCert = File("--cluster-signing-kubelet-client-cert-file", "PEM CA certificate of the kubernetes.io/kube-apiserver-client-kubelet signer");
    private readonly Option<string> _kubeletClientKey = File("--cluster-signing-kubelet-client-key-file", "PEM private key of the kubernetes.io/kube-apiserver-client-kubelet signer");
    private readonly Option<string> _kubeletServingCert = File("--cluster-signing-kubelet-serving-cert-file", "PEM CA certificate of the kubernetes.io/kubelet-serving signer");
    private readonly Option<string> _kubeletServingKey = File("--cluster-signing-kubelet-serving-key-file", "PEM private key of the kubernetes.io/kubelet-serving signer");

    private readonly Option<TimeSpan?> _duration = FlagParts.Duration("--cluster-signing-duration",
        "The longest validity of the certificates the signers issue; a request's expirationSeconds may only shorten it", CsrSigningOptions.DefaultDuration, allowZero: false);

    /// <summary>Adds the flags and a validator reporting inconsistent ones at parse time.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new[] { _certFile, _keyFile, _apiServerClientCert, _apiServerClientKey, _kubeletClientCert, _kubeletClientKey, _kubeletServingCert, _kubeletServingKey })
        {
            command.Options.Add(option);
        }

        command.Options.Add(_duration);
        command.Validators.Add(result =>
        {
            try
            {
                foreach (var error in Options(result.GetValue, result.GetValue).Validate())
                {
                    result.AddError(error);
                }

                // A CA named but absent is a start error, not a signer silently off.
                foreach (var option in new[] { _certFile, _keyFile, _apiServerClientCert, _apiServerClientKey, _kubeletClientCert, _kubeletClientKey, _kubeletServingCert, _kubeletServingKey })
                {
                    if (result.GetValue(option) is { Length: > 0 } path && !System.IO.File.Exists(path))
                    {
                        result.AddError($"{option.Name}: open {path}: no such file or directory");
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // A value that did not parse: its own error is reported already.
            }
        });
    }

    /// <summary>The csrsigning options from the flags.</summary>
    public CsrSigningOptions Bind(ParseResult parse) => Options(parse.GetValue, parse.GetValue);

    private CsrSigningOptions Options(Func<Option<string>, string?> text, Func<Option<TimeSpan?>, TimeSpan?> duration) => new()
    {
        ClusterSigningCertFile = text(_certFile),
        ClusterSigningKeyFile = text(_keyFile),
        KubeApiServerClientCertFile = text(_apiServerClientCert),
        KubeApiServerClientKeyFile = text(_apiServerClientKey),
        KubeletClientCertFile = text(_kubeletClientCert),
        KubeletClientKeyFile = text(_kubeletClientKey),
        KubeletServingCertFile = text(_kubeletServingCert),
        KubeletServingKeyFile = text(_kubeletServingKey),
        Duration = duration(_duration) ?? CsrSigningOptions.DefaultDuration,
    };

    private static Option<string> File(string name, string description) => new(name) { Description = description, HelpName = "file" };
}
