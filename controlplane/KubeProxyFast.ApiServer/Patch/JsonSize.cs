using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeProxyFast.ApiServer.Patch;

/// <summary>The length of a JSON value written compactly, found without keeping the text.</summary>
internal static class JsonSize
{
    /// <summary>Bytes <paramref name="node"/> takes as compact UTF-8 JSON (<c>null</c> is 4).</summary>
    public static long Of(JsonNode? node)
    {
        var sink = new DiscardingWriter();
        using var writer = new Utf8JsonWriter(sink);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }

        writer.Flush();
        return writer.BytesCommitted;
    }

    /// <summary>Hands the writer one scratch buffer again and again: only the count matters.</summary>
    private sealed class DiscardingWriter : IBufferWriter<byte>
    {
        private byte[] _scratch = new byte[4096];

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                _scratch = new byte[sizeHint];
            }

            return _scratch;
        }
    }
}
