namespace KubeProxyFast.Controllers;

/// <summary>Builds one controller from the manager's context and options.</summary>
/// <param name="context">What the controllers of the manager share.</param>
/// <param name="options">The manager's options; the factory takes its own controller's part.</param>
public delegate IController ControllerFactory(ControllerContext context, ControllerManagerOptions options);

/// <summary>
/// A controller the manager knows: its name in <c>--controllers</c> (kube-controller-manager's),
/// the names it is also known by, and how to build it.
/// </summary>
/// <param name="Name">The name, as kube-controller-manager's <c>--controllers</c> takes it (<c>endpoint</c>).</param>
/// <param name="Create">Builds the controller.</param>
/// <param name="Aliases">Other names <c>--controllers</c> accepts for it (Kubernetes' newer <c>endpoints-controller</c> spelling).</param>
public sealed record ControllerRegistration(string Name, ControllerFactory Create, params IReadOnlyList<string> Aliases);
