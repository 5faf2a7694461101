namespace KubeProxyFast.Testing;

/// <summary>
/// Sits between a client and the apiserver and injects what a slow or strict cluster does to a
/// controller: watch streams whose bytes arrive late (each chunk held for <see cref="WatchDelay"/>
/// after it came in, so events reach the informer that much after the writes they report), and
/// requests answered by the test instead of the server (a quota refusing creates, say).
/// </summary>
public sealed class ApiFaults : DelegatingHandler
{
    private volatile Func<HttpRequestMessage, HttpResponseMessage?>? _answer;
    private long _watchDelayTicks;

    public ApiFaults()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>How long each chunk of a matching watch stream is held; zero (the default) for none. Applies to chunks read from now on.</summary>
    public TimeSpan WatchDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _watchDelayTicks));
        set => Interlocked.Exchange(ref _watchDelayTicks, value.Ticks);
    }

    /// <summary>Which watches are delayed, by request path and query (e.g. containing <c>/pods?</c>); all when null.</summary>
    public Func<string, bool>? DelayedWatches { get; set; }

    /// <summary>
    /// Called for every request before it is sent: a response returned is answered instead of the
    /// server's; null lets the request through. Called concurrently.
    /// </summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Answer
    {
        get => _answer;
        set => _answer = value;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_answer?.Invoke(request) is { } answered)
        {
            answered.RequestMessage = request;
            return answered;
        }

        var response = await base.SendAsync(request, cancellationToken);
        var target = request.RequestUri!.OriginalString;
        if (!target.Contains("watch=true", StringComparison.Ordinal) || DelayedWatches?.Invoke(target) == false)
        {
            return response;
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var delayed = new StreamContent(new DelayedStream(body, this));
        foreach (var header in response.Content.Headers)
        {
            delayed.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = delayed;
        return response;
    }

    /// <summary>Holds each chunk read from the inner stream for the current delay before handing it on.</summary>
    private sealed class DelayedStream(Stream inner, ApiFaults faults) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read > 0 && faults.WatchDelay is { Ticks: > 0 } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
