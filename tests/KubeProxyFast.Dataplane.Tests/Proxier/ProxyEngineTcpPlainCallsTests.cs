namespace KubeProxyFast.Dataplane.Tests.Proxier;

/// <summary><see cref="ProxyEngineTcpTests"/> with every call of the loops a plain system call (no io_uring).</summary>
public sealed class ProxyEngineTcpPlainCallsTests() : ProxyEngineTcpTests(ioUring: false);
