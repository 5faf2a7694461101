using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Authentication;

/// <summary>authentication.k8s.io/v1 UserInfo: a user as an authenticator names it.</summary>
public sealed class UserInfo : Extensible
{
    /// <summary>The user name.</summary>
    public string? Username { get; set; }

    /// <summary>A unique value for this user across time.</summary>
    public string? Uid { get; set; }

    /// <summary>The user's groups.</summary>
    public List<string>? Groups { get; set; }

    /// <summary>Extra attributes the authenticator attached.</summary>
    public Dictionary<string, List<string>>? Extra { get; set; }
}
