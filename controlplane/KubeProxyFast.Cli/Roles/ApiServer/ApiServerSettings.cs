using KubeProxyFast.ApiServer;

namespace KubeProxyFast.Cli.Roles.ApiServer;

/// <summary>The apiserver role's settings, as <see cref="ApiServerFlags"/> binds them.</summary>
/// <param name="EtcdServers">Comma-separated etcd URLs, or null for the embedded store.</param>
/// <param name="DataDirectory">The embedded store's directory (under <c>db</c>), the PKI's (<c>tls</c>) and the kubeconfig's default place.</param>
/// <param name="KubeconfigPath">Where the admin kubeconfig for this server is written.</param>
/// <param name="Repair">Whether a damaged write-ahead log is cut at its last good record (a copy kept) rather than refused.</param>
/// <param name="Options">The apiserver's own options (<see cref="ApiServerOptions.Security"/> is made by the role from <paramref name="Serving"/>).</param>
/// <param name="Serving">How it serves HTTPS and who may authenticate.</param>
/// <param name="EncryptionProviderConfig">
/// <c>--encryption-provider-config</c>: Kubernetes' EncryptionConfiguration file; without it the
/// server keeps its own in the data directory (made on first start: Secrets with a new AES-GCM key).
/// </param>
/// <param name="EtcdTls"><c>--etcd-cafile</c>/<c>--etcd-certfile</c>/<c>--etcd-keyfile</c> for https etcd servers; null for none.</param>
internal sealed record ApiServerSettings(
    string? EtcdServers, string DataDirectory, string KubeconfigPath, bool Repair, ApiServerOptions Options, ApiServerServingSettings Serving,
    string? EncryptionProviderConfig = null, EtcdTlsFiles? EtcdTls = null);
