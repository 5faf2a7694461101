namespace KubeProxyFast.ApiServer.Authentication;

/// <summary>
/// Who made a request, as Kubernetes' <c>user.Info</c>: the name, an optional uid, the groups and
/// the extra attributes an authenticator attached. Authorization decides on it alone.
/// </summary>
/// <param name="Name">The user name (a certificate's CN, a token's user, <c>system:anonymous</c>).</param>
/// <param name="Uid">The user's uid, when the authenticator knows one.</param>
/// <param name="Groups">The groups (a certificate's O values, a token's groups); <c>system:authenticated</c> is added by the chain.</param>
/// <param name="Extra">Extra attributes (token reviews carry them through).</param>
public sealed record UserInfo(string Name, string? Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    /// <summary>The group that bypasses authorization (Kubernetes' superuser group).</summary>
    public const string SystemMasters = "system:masters";

    /// <summary>Every authenticated user's group.</summary>
    public const string SystemAuthenticated = "system:authenticated";

    /// <summary>The anonymous user's group.</summary>
    public const string SystemUnauthenticated = "system:unauthenticated";

    /// <summary>The anonymous user's name.</summary>
    public const string AnonymousName = "system:anonymous";

    /// <summary>The group of every kubelet; a kubelet's name is <c>system:node:&lt;node&gt;</c>.</summary>
    public const string SystemNodes = "system:nodes";

    /// <summary>The prefix of a kubelet's user name.</summary>
    public const string NodeUserPrefix = "system:node:";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A request without credentials, where anonymous requests are allowed.</summary>
    public static UserInfo Anonymous { get; } = new(AnonymousName, null, [SystemUnauthenticated], NoExtra);

    /// <summary>
    /// Every request of a server without authentication (plain HTTP on loopback, asked for
    /// explicitly): as kube-apiserver's old insecure port, it acts as <c>system:unsecured</c> in
    /// <c>system:masters</c>.
    /// </summary>
    public static UserInfo Unsecured { get; } = new("system:unsecured", null, [SystemMasters, SystemAuthenticated], NoExtra);

    /// <summary>A user with <paramref name="name"/> and <paramref name="groups"/>, no uid or extra.</summary>
    public static UserInfo Of(string name, params IReadOnlyList<string> groups) => new(name, null, groups, NoExtra);

    /// <summary>True when the user is in <paramref name="group"/>.</summary>
    public bool InGroup(string group)
    {
        foreach (var g in Groups)
        {
            if (g == group)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The node a kubelet identity names (<c>system:node:n1</c> in <c>system:nodes</c> → <c>n1</c>); null for any other user.</summary>
    public string? NodeName =>
        Name.StartsWith(NodeUserPrefix, StringComparison.Ordinal) && Name.Length > NodeUserPrefix.Length && InGroup(SystemNodes)
            ? Name[NodeUserPrefix.Length..]
            : null;
}
