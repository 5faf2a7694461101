namespace KubeProxyFast.Dataplane.Balancing;

/// <summary>
/// Chooses an endpoint of a set for a new connection. Implementations are thread-safe, take no
/// lock and allocate nothing: several event-loop threads call them concurrently for the same port.
/// </summary>
public interface IEndpointPicker
{
    /// <summary>Returns the index of the chosen endpoint, or -1 when <paramref name="endpoints"/> is empty.</summary>
    int Pick(EndpointSet endpoints);

    /// <summary>
    /// Like <see cref="Pick(EndpointSet)"/> but never returns <paramref name="excludedIndex"/> unless
    /// it is the only endpoint: the retry after a failed connect must try another one.
    /// </summary>
    /// <param name="endpoints">The endpoints.</param>
    /// <param name="excludedIndex">The index to avoid, or -1 to avoid none.</param>
    int PickExcept(EndpointSet endpoints, int excludedIndex);
}
