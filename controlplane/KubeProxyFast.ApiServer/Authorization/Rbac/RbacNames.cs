namespace KubeProxyFast.ApiServer.Authorization.Rbac;

/// <summary>Kubernetes' RBAC names: the group, kinds, the wildcard and service-account user names.</summary>
internal static class RbacNames
{
    /// <summary>The API group of RBAC objects.</summary>
    public const string Group = "rbac.authorization.k8s.io";

    /// <summary>Matches any verb, group, resource or URL in a rule.</summary>
    public const string All = "*";

    /// <summary>The annotation that lets the server add missing rules and subjects to a default object at start.</summary>
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    /// <summary>The user-name prefix of service accounts: <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    public const string ServiceAccountUserPrefix = "system:serviceaccount:";

    /// <summary>The user name of service account <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public static string ServiceAccountUser(string ns, string name) => ServiceAccountUserPrefix + ns + ":" + name;
}
