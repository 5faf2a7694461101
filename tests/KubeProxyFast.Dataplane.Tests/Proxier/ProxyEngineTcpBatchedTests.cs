namespace KubeProxyFast.Dataplane.Tests.Proxier;

/// <summary><see cref="ProxyEngineTcpTests"/> with the loops' calls batched through io_uring (the default).</summary>
public sealed class ProxyEngineTcpBatchedTests() : ProxyEngineTcpTests(ioUring: true);
