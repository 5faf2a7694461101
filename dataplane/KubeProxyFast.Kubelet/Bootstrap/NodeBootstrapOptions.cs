using System.Net;
using KubeProxyFast.Pki;

namespace KubeProxyFast.Kubelet.Bootstrap;

/// <summary>How an agent joins: the server and token (<c>--server</c>, <c>--token</c>), the node, where its credentials go, and how long it waits.</summary>
public sealed record NodeBootstrapOptions
{
    /// <summary>The server's URL (<c>--server https://HOST:6443</c>).</summary>
    public required Uri Server { get; init; }

    /// <summary>The join token: the CA pin and the bootstrap token.</summary>
    public required JoinToken Token { get; init; }

    /// <summary>The Node's name (the certificates are for <c>system:node:&lt;name&gt;</c>).</summary>
    public required string NodeName { get; init; }

    /// <summary>The node's addresses, the serving certificate's IP SANs.</summary>
    public IReadOnlyList<IPAddress> NodeAddresses { get; init; } = [];

    /// <summary>Where the credentials are kept.</summary>
    public required NodeCredentialPaths Paths { get; init; }

    /// <summary>How long a CSR may stay unsigned before the join fails (the client certificate) or is retried (the serving one).</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a pending CSR is read again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a failed renewal (or an unsigned serving certificate) waits before it is tried again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock certificates are judged and rotated by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
