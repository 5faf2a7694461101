using System.Text.Json.Nodes;
using KubeProxyFast.Client;
using Microsoft.Extensions.Logging;

namespace KubeProxyFast.Kubelet.Server;

/// <summary>
/// Kubernetes' webhook authorizer as the kubelet uses it (<c>--authorization-mode=Webhook</c>):
/// each subresource of the request is asked of the apiserver in a <c>SubjectAccessReview</c>
/// (<c>authorization.k8s.io/v1</c>) for the caller, until one is allowed. Allowed answers are kept
/// <see cref="KubeletServerOptions.AuthorizedCacheTtl"/>, denied ones
/// <see cref="KubeletServerOptions.UnauthorizedCacheTtl"/>; a failed review is not kept.
/// </summary>
internal sealed class SubjectAccessReviewAuthorizer : IKubeletAuthorizer
{
    private const string Path = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private readonly KubeClient _client;
    private readonly TimeSpan _allowedTtl;
    private readonly TimeSpan _deniedTtl;
    private readonly ReviewCache<bool> _cache;
    private readonly ILogger _logger;

    public SubjectAccessReviewAuthorizer(KubeClient client, TimeSpan allowedTtl, TimeSpan deniedTtl, TimeProvider time, ILogger logger)
    {
        _client = client;
        _allowedTtl = allowedTtl;
        _deniedTtl = deniedTtl;
        _cache = new ReviewCache<bool>(time);
        _logger = logger;
    }

    /// <inheritdoc/>
    public async ValueTask<KubeletAuthorization> AuthorizeAsync(KubeletUser user, NodeRequestAttributes attributes, CancellationToken cancellationToken)
    {
        foreach (var subresource in attributes.Subresources)
        {
            var key = string.Join('\u0004', user.CacheKey, attributes.Verb, attributes.NodeName, subresource);
            if (!_cache.TryGet(key, out var allowed))
            {
                try
                {
                    var answer = await _client.PostJsonAsync(Path, Review(user, attributes, subresource), cancellationToken).ConfigureAwait(false);
                    allowed = answer?["status"]?["allowed"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
                }
                catch (Exception e) when (e is KubeApiException or KubeConnectionException or System.Text.Json.JsonException)
                {
                    KubeletServerLog.AccessReviewFailed(_logger, user.Name, attributes.Verb, subresource, e.Message);
                    return KubeletAuthorization.Error(subresource);
                }

                _cache.Set(key, allowed, allowed ? _allowedTtl : _deniedTtl);
            }

            if (allowed)
            {
                return KubeletAuthorization.Allowed;
            }
        }

        return KubeletAuthorization.Denied;
    }

    private static JsonObject Review(KubeletUser user, NodeRequestAttributes attributes, string subresource)
    {
        var spec = new JsonObject
        {
            ["resourceAttributes"] = new JsonObject
            {
                ["verb"] = attributes.Verb,
                ["version"] = "v1",
                ["resource"] = NodeRequestAttributes.Resource,
                ["subresource"] = subresource,
                ["name"] = attributes.NodeName,
            },
            ["user"] = user.Name,
            ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)JsonValue.Create(g))]),
        };
        if (user.Uid is not null)
        {
            spec["uid"] = user.Uid;
        }

        if (user.Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (key, values) in user.Extra)
            {
                extra[key] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            }

            spec["extra"] = extra;
        }

        return new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = spec,
        };
    }
}
