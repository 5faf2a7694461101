using System.Security.Cryptography;
using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.ApiServer.Registry;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Kubernetes' bootstrap token authenticator (<c>--enable-bootstrap-token-auth</c>): a bearer token
/// <c>&lt;id&gt;.&lt;secret&gt;</c> is valid while the Secret <c>kube-system/bootstrap-token-&lt;id&gt;</c>
/// exists, is not being deleted, has the bootstrap type, holds the same id and secret, allows
/// <c>usage-bootstrap-authentication</c> and has not expired; it authenticates as
/// <c>system:bootstrap:&lt;id&gt;</c> in <c>system:bootstrappers</c> and the Secret's extra groups.
/// The Secret is read from the store on each request: joins are rare, and a deleted token stops
/// working at once. A token not of this shape is another kind's (<see cref="AuthenticationResult.None"/>).
/// </summary>
internal sealed class BootstrapTokenAuthenticator : ITokenAuthenticator
{
    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;

    /// <summary>Reads Secrets through <paramref name="registry"/>; expiry is judged against <paramref name="time"/>.</summary>
    public BootstrapTokenAuthenticator(ObjectRegistry registry, TimeProvider time)
    {
        _registry = registry;
        _time = time;
    }

    /// <inheritdoc/>
    public async ValueTask<AuthenticationResult> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!BootstrapToken.TryParse(token, out var parsed))
        {
            return AuthenticationResult.None;
        }

        var name = BootstrapTokenSecret.NameOf(parsed.Id);
        var found = await _registry.FindAsync(Resources.Secrets, BootstrapTokenSecret.Namespace, name, cancellationToken).ConfigureAwait(false);
        return found is Secret secret
            ? Judge(parsed, secret)
            : AuthenticationResult.Failed($"bootstrap token {parsed.Id}: no secret {BootstrapTokenSecret.Namespace}/{name}");
    }

    private AuthenticationResult Judge(BootstrapToken token, Secret secret)
    {
        if (secret.Metadata.DeletionTimestamp is not null)
        {
            return Fail(token, "its secret is being deleted");
        }

        if (secret.Type != SecretTypes.BootstrapToken)
        {
            return Fail(token, $"its secret has type {secret.Type}, not {SecretTypes.BootstrapToken}");
        }

        var stored = Value(secret, BootstrapTokenSecret.TokenSecretKey);
        if (stored is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(token.Secret)))
        {
            return Fail(token, "the secret does not match");
        }

        if (Value(secret, BootstrapTokenSecret.TokenIdKey) != token.Id)
        {
            return Fail(token, $"its secret's {BootstrapTokenSecret.TokenIdKey} is not {token.Id}");
        }

        if (Value(secret, BootstrapTokenSecret.ExpirationKey) is { } expiration)
        {
            if (!BootstrapTokenSecret.TryParseTime(expiration, out var expiry))
            {
                return Fail(token, $"its expiration \"{expiration}\" is not an RFC 3339 time");
            }

            if (_time.GetUtcNow() >= expiry)
            {
                return Fail(token, $"it expired at {BootstrapTokenSecret.FormatTime(expiry)}");
            }
        }

        if (Value(secret, BootstrapTokenSecret.UsageAuthenticationKey) != "true")
        {
            return Fail(token, $"its secret does not allow {BootstrapTokenSecret.UsageAuthenticationKey}");
        }

        List<string> groups = [BootstrapTokenSecret.DefaultGroup];
        if (Value(secret, BootstrapTokenSecret.ExtraGroupsKey) is { Length: > 0 } extra)
        {
            foreach (var group in extra.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!BootstrapTokenSecret.IsValidExtraGroup(group))
                {
                    return Fail(token, $"its extra group \"{group}\" is not a {BootstrapTokenSecret.ExtraGroupPrefix}* group");
                }

                groups.Add(group);
            }
        }

        return AuthenticationResult.Success(UserInfo.Of(BootstrapTokenSecret.UserPrefix + token.Id, groups));
    }

    private static AuthenticationResult Fail(BootstrapToken token, string reason) =>
        AuthenticationResult.Failed($"bootstrap token {token.Id}: {reason}");

    private static string? Value(Secret secret, string key) =>
        secret.Data is { } data && data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
