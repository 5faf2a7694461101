using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Serialization;

namespace KubeProxyFast.Client;

public sealed partial class KubeClient
{
    /// <summary>
    /// LIST the objects of a namespace (or of all namespaces when <paramref name="ns"/> is null, and
    /// for cluster-scoped kinds). The result is the kind's list type (e.g. <c>PodList</c>) with
    /// <c>metadata.resourceVersion</c> to watch from and <c>metadata.continue</c> when paged.
    /// </summary>
    public async Task<KubeList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        var paths = ResourcePaths.For<T>();
        var listType = paths.ListType ?? throw new ArgumentException($"{paths.Kind.Kind} cannot be listed");
        options ??= new ListOptions();
        var path = ResourcePaths.WithQuery(
            paths.Collection(ns),
            ("labelSelector", options.LabelSelector),
            ("fieldSelector", options.FieldSelector),
            ("limit", options.Limit is > 0 ? Number(options.Limit.Value) : null),
            ("continue", options.Continue),
            ("resourceVersion", options.ResourceVersion));
        var body = await SendForBytesAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        try
        {
            return (KubeList<T>)(JsonSerializer.Deserialize(body, KubeJson.Options.GetTypeInfo(listType))
                ?? throw new KubeDecodeException("", "the list is null"));
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e);
        }
    }

    /// <summary>
    /// WATCH the objects of a namespace (all namespaces when null): the response is streamed, one
    /// event per line, until the server ends it (its timeout), the connection breaks
    /// (<see cref="KubeConnectionException"/>) or <paramref name="cancellationToken"/> is cancelled
    /// (the enumeration then ends without an exception). An <c>ERROR</c> event is thrown as
    /// <see cref="KubeApiException"/> with its Status; 410 (<see cref="KubeApiException.IsGone"/>)
    /// means the resourceVersion was compacted and the caller must list again.
    /// </summary>
    public async IAsyncEnumerable<KubeWatchEvent<T>> WatchAsync<T>(
        string? ns, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : KubeObject
    {
        options ??= new WatchOptions();
        var path = ResourcePaths.WithQuery(
            ResourcePaths.For<T>().Collection(ns),
            ("watch", "true"),
            ("resourceVersion", options.ResourceVersion),
            ("labelSelector", options.LabelSelector),
            ("fieldSelector", options.FieldSelector),
            ("timeoutSeconds", options.TimeoutSeconds is > 0 ? Number(options.TimeoutSeconds.Value) : null),
            ("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null));
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var reader = PipeReader.Create(stream);
        try
        {
            while (true)
            {
                var line = await ReadLineOrEndAsync(reader, path, cancellationToken).ConfigureAwait(false);

                if (line is null)
                {
                    yield break;
                }

                if (line.Length > 0)
                {
                    yield return Decode<T>(line);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static KubeWatchEvent<T> Decode<T>(byte[] line)
        where T : KubeObject
    {
        var watchEvent = KubeJson.Deserialize<WatchEvent>(line);
        if (watchEvent.Type == WatchEventTypes.Error)
        {
            var status = watchEvent.Object.ValueKind == JsonValueKind.Object ? KubeJson.Deserialize<Status>(watchEvent.Object) : null;
            throw status is null ? new KubeApiException("the watch ended with an ERROR event without a Status") : new KubeApiException(status);
        }

        return new KubeWatchEvent<T>(watchEvent.Type, KubeJson.Deserialize<T>(watchEvent.Object));
    }

    /// <summary>The next line; null at the end of the stream or when the caller cancelled; a broken connection throws naming the URL.</summary>
    private async ValueTask<byte[]?> ReadLineOrEndAsync(PipeReader reader, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new KubeConnectionException("GET", Absolute(path), e);
        }
    }

    /// <summary>The next newline-terminated line without its newline; null at the end of the stream (a partial last line is dropped).</summary>
    private static async ValueTask<byte[]?> ReadLineAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = buffer.Slice(0, end).ToArray();
                reader.AdvanceTo(buffer.GetPosition(1, end));
                return line;
            }

            // Nothing consumed, everything examined: the next read waits for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
