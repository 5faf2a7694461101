namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>How a service port spreads new connections over its endpoints.</summary>
public enum BalancingMode
{
    /// <summary>Uniformly at random, as the seed kube-proxy does (the default).</summary>
    Random,

    /// <summary>Strict rotation per service port, as the old userspace proxier did.</summary>
    RoundRobin,
}
