using System.Collections.Concurrent;

namespace KubeProxyFast.Client.Tests.Informers;

/// <summary>
/// Sits between a <see cref="KubeClient"/> and the apiserver: records every request (method, path
/// and query) and can hold new WATCH requests at a gate, keeping an informer away from the server
/// while the test changes and compacts its history.
/// </summary>
internal sealed class ApiRequests : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _requests = new();
    private volatile TaskCompletionSource? _watchGate;
    private int _heldWatches;

    public ApiRequests()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary><c>GET /api/v1/pods?watch=true&amp;…</c>, in the order sent.</summary>
    public IReadOnlyList<string> All => [.. _requests];

    /// <summary>WATCH requests waiting at the gate.</summary>
    public int HeldWatches => Volatile.Read(ref _heldWatches);

    public IReadOnlyList<string> Watches(string resource) => [.. All.Where(r => IsWatch(r) && r.Contains("/" + resource + "?", StringComparison.Ordinal))];

    public IReadOnlyList<string> Lists(string resource) => [.. All.Where(r => !IsWatch(r) && r.StartsWith("GET ", StringComparison.Ordinal) && (r.Contains("/" + resource + "?", StringComparison.Ordinal) || r.EndsWith("/" + resource, StringComparison.Ordinal)))];

    /// <summary>WATCH requests sent from now wait until <see cref="OpenWatches"/>.</summary>
    public void HoldWatches() => _watchGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenWatches() => _watchGate?.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var line = request.Method.Method + " " + request.RequestUri!.OriginalString;
        if (IsWatch(line) && _watchGate is { } gate)
        {
            Interlocked.Increment(ref _heldWatches);
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _heldWatches);
            }
        }

        _requests.Enqueue(line);
        return await base.SendAsync(request, cancellationToken);
    }

    private static bool IsWatch(string line) => line.Contains("watch=true", StringComparison.Ordinal);
}
