using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeProxyFast.Client;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// Kubernetes' webhook token authenticator as the kubelet uses it
/// (<c>--authentication-token-webhook</c>): a bearer token is sent to the apiserver in a
/// <c>TokenReview</c> (<c>authentication.k8s.io/v1</c>) and the user it names is the caller. An
/// authenticated answer is kept for <see cref="KubeletServerOptions.TokenCacheTtl"/>, keyed by the
/// token's SHA-256 (the token itself is not kept); a refusal or a failed review is not kept, so a
/// token made a moment later works at once.
/// </summary>
internal sealed class TokenReviewAuthenticator
{
    private const string Path = "/apis/authentication.k8s.io/v1/tokenreviews";

    private readonly KubeClient _client;
    private readonly TimeSpan _ttl;
    private readonly ReviewCache<KubeletUser> _cache;
    private readonly ILogger _logger;

    public TokenReviewAuthenticator(KubeClient client, TimeSpan ttl, TimeProvider time, ILogger logger)
    {
        _client = client;
        _ttl = ttl;
        _cache = new ReviewCache<KubeletUser>(time);
        _logger = logger;
    }

    /// <summary>The user <paramref name="token"/> belongs to; null when the apiserver does not know it or cannot be asked.</summary>
    public async ValueTask<KubeletUser?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var review = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenReview",
            ["spec"] = new JsonObject { ["token"] = token },
        };
        JsonNode? answer;
        try
        {
            answer = await _client.PostJsonAsync(Path, review, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or System.Text.Json.JsonException)
        {
            KubeletServerLog.TokenReviewFailed(_logger, e.Message);
            return null;
        }

        var user = UserOf(answer?["status"]);
        if (user is not null)
        {
            _cache.Set(key, user, _ttl);
        }

        return user;
    }

    /// <summary>The user of a TokenReview's status when it says <c>authenticated</c>.</summary>
    internal static KubeletUser? UserOf(JsonNode? status)
    {
        if (status?["authenticated"]?.GetValueKind() != System.Text.Json.JsonValueKind.True
            || status["user"]?["username"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            return null;
        }

        var user = status["user"]!;
        var groups = user["groups"] is JsonArray g ? g.Select(x => x?.GetValue<string>()).OfType<string>().ToList() : [];
        // As Kubernetes' authenticated-group adder: every authenticated user is in system:authenticated.
        if (!groups.Contains("system:authenticated"))
        {
            groups.Add("system:authenticated");
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (user["extra"] is JsonObject extras)
        {
            foreach (var (k, values) in extras)
            {
                extra[k] = values is JsonArray a ? a.Select(x => x?.GetValue<string>()).OfType<string>().ToList() : [];
            }
        }

        return new KubeletUser(name, user["uid"]?.GetValue<string>() is { Length: > 0 } uid ? uid : null, groups, extra);
    }
}
