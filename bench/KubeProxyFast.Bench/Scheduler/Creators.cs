using System.Diagnostics;
using System.Net;

namespace KubeProxyFast.Bench.Scheduler;

/// <summary>
/// N POSTs through the apiserver by <c>creators</c> concurrent loops, each taking the next index
/// as soon as its previous create was answered: objects go in as fast as the apiserver takes them.
/// </summary>
internal static class Creators
{
    /// <summary>Posts <paramref name="body"/>(i) to <paramref name="path"/> for i in [0, count); returns the seconds it took. Any answer but 201 fails the run.</summary>
    public static async Task<double> RunAsync(HttpClient http, string path, int count, int creators, Func<int, HttpContent> body, CancellationToken cancellationToken)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var loops = Enumerable.Range(0, creators).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var content = body(i);
                using var response = await http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException($"POST {path} #{i}: {(int)response.StatusCode} {text}");
                }
            }
        });
        await Task.WhenAll(loops).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
