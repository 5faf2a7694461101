namespace KubeProxyFast.Controllers;

/// <summary>
/// One control loop of the controller manager, as kube-controller-manager names and runs them
/// (<c>replicationcontroller</c>, <c>endpoint</c>, <c>nodelifecycle</c>, <c>nodeipam</c>,
/// <c>garbagecollector</c>). A controller is built with a <see cref="ControllerContext"/>: its
/// constructor asks the context's informer factory for the informers it needs and registers its
/// handlers. The manager then starts the informers, waits for their caches and calls
/// <see cref="RunAsync"/>. Reconcilers are level-based: each sync reads the listers and the
/// desired state, never an event's payload alone, so a missed event heals at the next resync.
/// </summary>
public interface IController
{
    /// <summary>The controller's name in logs, metrics and <c>--controllers</c>, as Kubernetes names it.</summary>
    string Name { get; }

    /// <summary>
    /// Runs the controller's workers until <paramref name="cancellationToken"/> is cancelled, then
    /// returns once they have finished the item in hand. Called once, after the informer caches synced.
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);
}
