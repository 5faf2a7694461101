namespace KubeProxyFast.Controllers.Certificates;

/// <summary>The Kubernetes user and group names the certificate controllers judge requesters by.</summary>
internal static class UserNames
{
    /// <summary>The group of every kubelet (<c>system:node:&lt;name&gt;</c>).</summary>
    public const string SystemNodes = "system:nodes";

    /// <summary>The prefix of a kubelet's user name.</summary>
    public const string NodePrefix = "system:node:";

    /// <summary>The group of bootstrap-token users (and of the join helpers' bootstrap certificates), who may ask for a first kubelet client certificate.</summary>
    public const string SystemBootstrappers = "system:bootstrappers";
}
