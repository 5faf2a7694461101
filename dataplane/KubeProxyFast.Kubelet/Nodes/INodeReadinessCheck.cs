namespace KubeProxyFast.Kubelet.Nodes;

/// <summary>
/// One thing the node's <c>Ready</c> condition depends on (the container runtime, the pod network).
/// </summary>
public interface INodeReadinessCheck
{
    /// <summary>Null when ready; otherwise why not, as the Ready condition's message carries it.</summary>
    /// <remarks>Called every few seconds by the status reporter; must not throw (a failure is a reason).</remarks>
    ValueTask<string?> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>A readiness check made of a function (the network manager's flag, a test's switch).</summary>
/// <param name="check">Null when ready, else why not.</param>
public sealed class DelegateReadinessCheck(Func<CancellationToken, ValueTask<string?>> check) : INodeReadinessCheck
{
    private readonly Func<CancellationToken, ValueTask<string?>> _check = check ?? throw new ArgumentNullException(nameof(check));

    /// <summary>A check of a synchronous function.</summary>
    public static DelegateReadinessCheck Of(Func<string?> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new DelegateReadinessCheck(_ => ValueTask.FromResult(check()));
    }

    /// <inheritdoc />
    public ValueTask<string?> CheckAsync(CancellationToken cancellationToken) => _check(cancellationToken);
}
