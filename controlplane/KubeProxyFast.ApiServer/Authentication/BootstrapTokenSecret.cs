using System.Globalization;
using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// The Secret that holds a bootstrap token, exactly as Kubernetes' (k8s.io/cluster-bootstrap
/// token/api): <c>kube-system/bootstrap-token-&lt;id&gt;</c> of type
/// <c>bootstrap.kubernetes.io/token</c>, the id and secret under <c>token-id</c> and
/// <c>token-secret</c>, an optional RFC 3339 <c>expiration</c> and <c>description</c>, the usages
/// <c>usage-bootstrap-authentication</c>/<c>usage-bootstrap-signing</c> (<c>"true"</c> or absent)
/// and <c>auth-extra-groups</c>, a comma list of groups that all start with <c>system:bootstrappers:</c>.
/// </summary>
public static class BootstrapTokenSecret
{
    /// <summary>The namespace bootstrap-token Secrets live in.</summary>
    public const string Namespace = "kube-system";

    /// <summary>The prefix of the Secret's name (<c>BootstrapTokenSecretPrefix</c>).</summary>
    public const string NamePrefix = "bootstrap-token-";

    /// <summary>The data key of the token id.</summary>
    public const string TokenIdKey = "token-id";

    /// <summary>The data key of the token secret.</summary>
    public const string TokenSecretKey = "token-secret";

    /// <summary>The data key of the expiry (RFC 3339, UTC); a value that does not parse makes the token invalid.</summary>
    public const string ExpirationKey = "expiration";

    /// <summary>The data key of the human-readable description.</summary>
    public const string DescriptionKey = "description";

    /// <summary>The data key of the extra groups (comma-separated).</summary>
    public const string ExtraGroupsKey = "auth-extra-groups";

    /// <summary>The usage that lets the token authenticate as a bearer token; only <c>"true"</c> enables it.</summary>
    public const string UsageAuthenticationKey = "usage-bootstrap-authentication";

    /// <summary>The usage that lets the token sign the cluster-info ConfigMap; only <c>"true"</c> enables it.</summary>
    public const string UsageSigningKey = "usage-bootstrap-signing";

    /// <summary>The user-name prefix a bootstrap token authenticates with (<c>system:bootstrap:&lt;id&gt;</c>).</summary>
    public const string UserPrefix = "system:bootstrap:";

    /// <summary>The group every bootstrap token authenticates in.</summary>
    public const string DefaultGroup = "system:bootstrappers";

    /// <summary>The prefix every extra group must have.</summary>
    public const string ExtraGroupPrefix = "system:bootstrappers:";

    // BootstrapGroupPattern: \Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z
    private const int MaxExtraGroupSuffix = 256;

    /// <summary>The Secret's name for token <paramref name="id"/>.</summary>
    public static string NameOf(string id) => NamePrefix + id;

    /// <summary>
    /// The Secret that makes <paramref name="token"/> valid as <paramref name="options"/> say.
    /// </summary>
    /// <exception cref="ArgumentException">An extra group that does not match Kubernetes' bootstrap group pattern.</exception>
    public static Secret Build(BootstrapToken token, BootstrapTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [TokenIdKey] = Bytes(token.Id),
            [TokenSecretKey] = Bytes(token.Secret),
        };
        if (options.Expiration is { } expiration)
        {
            data[ExpirationKey] = Bytes(FormatTime(expiration));
        }

        if (!string.IsNullOrEmpty(options.Description))
        {
            data[DescriptionKey] = Bytes(options.Description);
        }

        if (options.Authentication)
        {
            data[UsageAuthenticationKey] = Bytes("true");
        }

        if (options.Signing)
        {
            data[UsageSigningKey] = Bytes("true");
        }

        if (options.ExtraGroups.Count > 0)
        {
            foreach (var group in options.ExtraGroups)
            {
                if (!IsValidExtraGroup(group))
                {
                    throw new ArgumentException(
                        $"bootstrap group \"{group}\" is invalid (must match {ExtraGroupPrefix}[a-z0-9:-]{{0,255}}[a-z0-9])", nameof(options));
                }
            }

            data[ExtraGroupsKey] = Bytes(string.Join(',', options.ExtraGroups));
        }

        return new Secret
        {
            Kind = "Secret",
            ApiVersion = "v1",
            Metadata = new ObjectMeta { Name = NameOf(token.Id), Namespace = Namespace },
            Type = SecretTypes.BootstrapToken,
            Data = data,
        };
    }

    /// <summary>True when <paramref name="group"/> may be one of a token's extra groups (<c>BootstrapGroupPattern</c>).</summary>
    public static bool IsValidExtraGroup(string? group)
    {
        if (group is null || !group.StartsWith(ExtraGroupPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = group.AsSpan(ExtraGroupPrefix.Length);
        if (suffix.Length is 0 or > MaxExtraGroupSuffix)
        {
            return false;
        }

        foreach (var c in suffix)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'z') or ':' or '-'))
            {
                return false;
            }
        }

        var last = suffix[^1];
        return last is not (':' or '-');
    }

    /// <summary>The expiry as the Secret writes it: RFC 3339 in UTC, to the second (as kubeadm's <c>time.RFC3339</c>).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an RFC 3339 time (any offset, optional fraction); false when it does not parse.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out time);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
