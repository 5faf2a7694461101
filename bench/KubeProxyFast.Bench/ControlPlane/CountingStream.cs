namespace KubeProxyFast.Bench.ControlPlane;

/// <summary>
/// Discards what it is given and counts it, so reading a list costs the client no copy or parse;
/// keeps the head, where a PodList or Table has its <c>kind</c> and <c>metadata.continue</c>.
/// </summary>
internal sealed class CountingStream : Stream
{
    private readonly byte[] _head = new byte[2048];
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <summary>The first string value of <c>"name":</c> in the head, if any.</summary>
    public string? Field(string name)
    {
        var head = System.Text.Encoding.UTF8.GetString(_head, 0, (int)Math.Min(_length, _head.Length));
        var marker = $"\"{name}\":\"";
        var at = head.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : head[(at + marker.Length)..].Split('"')[0];
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length < _head.Length)
        {
            var take = (int)Math.Min(buffer.Length, _head.Length - _length);
            buffer[..take].CopyTo(_head.AsSpan((int)_length));
        }

        _length += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }
}
