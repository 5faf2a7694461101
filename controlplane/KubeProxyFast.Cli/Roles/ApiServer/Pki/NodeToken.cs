using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Authentication;
using KubeProxyFast.Client;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Cli.Roles.ApiServer.Pki;

/// <summary>
/// The node join token, as k3s's <c>&lt;data-dir&gt;/token</c>: <c>K10&lt;sha256 of the server CA
/// as /cacerts serves it&gt;::&lt;id&gt;.&lt;secret&gt;</c>, whose bootstrap token is a Secret in
/// kube-system (authentication only, no expiry, in <see cref="NodeGroup"/>) so that agents can ask
/// for their kubelet certificates. Made on the first start; later starts keep it, and put its
/// Secret back if someone deleted it.
/// </summary>
internal static class NodeToken
{
    /// <summary>The extra group of the node token, as k3s's: the CSR approver and RBAC treat it as nodes joining.</summary>
    public const string NodeGroup = "system:bootstrappers:kpf:default-node-token";

    /// <summary>The token file of <paramref name="dataDirectory"/>.</summary>
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "token");

    /// <summary>
    /// The token of <paramref name="path"/> (made when missing), its Secret made through
    /// <paramref name="admin"/> when missing; <paramref name="serverCaPem"/> is what the token's hash covers.
    /// </summary>
    /// <exception cref="FormatException">The file does not hold a join token.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public static async Task<JoinToken> EnsureAsync(string path, byte[] serverCaPem, KubeClient admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        BootstrapToken bootstrap;
        if (File.Exists(path))
        {
            var existing = JoinToken.ReadFile(path);
            bootstrap = BootstrapToken.Parse(existing.BearerToken);
        }
        else
        {
            bootstrap = BootstrapToken.Generate();
        }

        var name = BootstrapTokenSecret.NameOf(bootstrap.Id);
        try
        {
            await admin.GetAsync<Secret>(BootstrapTokenSecret.Namespace, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            var secret = BootstrapTokenSecret.Build(bootstrap, new BootstrapTokenOptions
            {
                Description = "The node join token of kpf server (" + path + ")",
                ExtraGroups = [NodeGroup],
            });
            try
            {
                await admin.CreateAsync(secret, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException created) when (created.IsAlreadyExists)
            {
                // Another server on the same store made it first, from the same file's token or its own.
            }
        }

        // Written every start: the hash follows the CA bundle exactly as /cacerts serves it now.
        var token = JoinToken.Create(serverCaPem, bootstrap.Id, bootstrap.Secret);
        PemFiles.WriteOwnerOnly(path, token.Format() + "\n");
        return token;
    }
}
