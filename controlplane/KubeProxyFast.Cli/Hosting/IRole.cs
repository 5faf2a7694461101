namespace KubeProxyFast.Cli.Hosting;

/// <summary>
/// One component of kpf as the <see cref="RoleHost"/> runs it: the apiserver and kube-proxy now;
/// the scheduler, controller manager, kubelet and DNS later. A role is built, already configured,
/// by its flag set (<see cref="IRoleFlags"/>); the host starts roles in order, stops them in
/// reverse order and asks them for their health. A role never handles signals nor configures
/// logging: the host does both, once, for every role it runs.
/// </summary>
internal interface IRole
{
    /// <summary>The role's name in logs and errors, as Kubernetes names the component: <c>apiserver</c>, <c>proxy</c>.</summary>
    string Name { get; }

    /// <summary>Live and ready, or why not. Cheap and callable from any thread at any time, before start too.</summary>
    RoleHealth Health { get; }

    /// <summary>
    /// Starts the role and returns once it serves. The host calls it once, after the roles listed
    /// before this one have started.
    /// </summary>
    /// <param name="context">Logging, the operator's output, and how to report a failure or a change of health later.</param>
    /// <param name="cancellationToken">Cancelled when the host is asked to stop (or another role failed) during start.</param>
    /// <exception cref="RoleException">
    /// The role cannot start; the message says why for the operator (naming the flag, file or
    /// address at fault). A role that throws has released whatever it had acquired.
    /// </exception>
    /// <exception cref="OperationCanceledException">The start was cancelled through <paramref name="cancellationToken"/>.</exception>
    Task StartAsync(RoleContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Stops gracefully: stops serving and releases what the role holds (ports, files, netfilter
    /// tables). Called once, only after <see cref="StartAsync"/> succeeded.
    /// </summary>
    /// <param name="cancellationToken">
    /// Cancelled at the host's stop deadline: from then on the role should skip what is left of a
    /// graceful stop (draining, waiting for requests) and release at once; the host soon stops waiting for it.
    /// </param>
    Task StopAsync(CancellationToken cancellationToken);
}
