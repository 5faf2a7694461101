using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace KubeProxyFast.Api.Serialization;

/// <summary>
/// Escapes strings as Go's <c>encoding/json</c> does with HTML escaping on (kube-apiserver's
/// encoder): <c>"</c> and <c>\</c> with a backslash, <c>\b \f \n \r \t</c> by name, other
/// control characters and <c>&lt; &gt; &amp;</c> as <c>\u00xx</c> in lowercase hex, U+2028 and
/// U+2029 as <c>\u2028</c> <c>\u2029</c>, every byte that is not UTF-8 (and every lone surrogate)
/// as <c>\ufffd</c>; all other text, non-ASCII included, as itself. Clients compare these bytes
/// (the Python client's tests match <c>services \"x\" already exists</c>); the default encoder
/// writes <c>\u0022</c> and escapes all non-ASCII.
/// </summary>
/// <remarks>
/// The search for the first byte to escape is one vectorized <c>IndexOfAny</c> over ASCII; only
/// non-ASCII text is decoded rune by rune, and nothing is allocated.
/// </remarks>
public sealed class GoJsonEncoder : JavaScriptEncoder
{
    private const string Hex = "0123456789abcdef";

    // ASCII that Go escapes, and every non-ASCII byte (checked further: valid UTF-8 passes).
    private static readonly SearchValues<byte> Utf8Stops = SearchValues.Create(Utf8StopBytes());

    // The same for UTF-16, where surrogates are checked for pairing.
    private static readonly SearchValues<char> CharStops = SearchValues.Create(CharStopChars());

    private GoJsonEncoder()
    {
    }

    /// <summary>The one instance.</summary>
    public static GoJsonEncoder Instance { get; } = new();

    /// <inheritdoc/>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    /// <inheritdoc/>
    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar is < 0x20 or '"' or '\\' or '<' or '>' or '&' or 0x2028 or 0x2029 or (>= 0xD800 and <= 0xDFFF);

    /// <inheritdoc/>
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirst(new ReadOnlySpan<char>(text, textLength));

    /// <inheritdoc/>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var offset = 0;
        while (true)
        {
            var found = utf8Text[offset..].IndexOfAny(Utf8Stops);
            if (found < 0)
            {
                return -1;
            }

            offset += found;
            var length = utf8Text[offset] < 0x80 ? 0 : NonAsciiLength(utf8Text[offset..]);
            if (length == 0)
            {
                return offset;
            }

            offset += length;
        }
    }

    /// <inheritdoc/>
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        Span<char> escape = stackalloc char[6];
        var length = WillEncode(unicodeScalar) ? Escape(unicodeScalar is >= 0xD800 and <= 0xDFFF ? 0xFFFD : unicodeScalar, escape) : Raw(unicodeScalar, escape);
        if (length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        escape[..length].CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = length;
        return true;
    }

    /// <inheritdoc/>
    public override OperationStatus EncodeUtf8(
        ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock = true)
    {
        var read = 0;
        var written = 0;
        Span<char> escape = stackalloc char[6];
        while (read < utf8Source.Length)
        {
            var plain = FindFirstCharacterToEncodeUtf8(utf8Source[read..]);
            var take = plain < 0 ? utf8Source.Length - read : plain;
            if (take > 0)
            {
                if (!utf8Source.Slice(read, take).TryCopyTo(utf8Destination[written..]))
                {
                    return Stop(OperationStatus.DestinationTooSmall, read, written, out bytesConsumed, out bytesWritten);
                }

                read += take;
                written += take;
                continue;
            }

            int scalar;
            int consumed;
            var b = utf8Source[read];
            if (b < 0x80)
            {
                (scalar, consumed) = (b, 1);
            }
            else
            {
                var status = Rune.DecodeFromUtf8(utf8Source[read..], out var rune, out consumed);
                if (status == OperationStatus.NeedMoreData && !isFinalBlock)
                {
                    return Stop(OperationStatus.NeedMoreData, read, written, out bytesConsumed, out bytesWritten);
                }

                // Go replaces each byte that starts no valid sequence, one at a time.
                (scalar, consumed) = status == OperationStatus.Done ? (rune.Value, consumed) : (0xFFFD, 1);
            }

            var length = Escape(scalar, escape);
            if (utf8Destination.Length - written < length)
            {
                return Stop(OperationStatus.DestinationTooSmall, read, written, out bytesConsumed, out bytesWritten);
            }

            for (var i = 0; i < length; i++)
            {
                utf8Destination[written + i] = (byte)escape[i];
            }

            read += consumed;
            written += length;
        }

        return Stop(OperationStatus.Done, read, written, out bytesConsumed, out bytesWritten);
    }

    /// <inheritdoc/>
    public override OperationStatus Encode(
        ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten, bool isFinalBlock = true)
    {
        var read = 0;
        var written = 0;
        while (read < source.Length)
        {
            var plain = FindFirst(source[read..]);
            var take = plain < 0 ? source.Length - read : plain;
            if (take > 0)
            {
                if (!source.Slice(read, take).TryCopyTo(destination[written..]))
                {
                    return Stop(OperationStatus.DestinationTooSmall, read, written, out charsConsumed, out charsWritten);
                }

                read += take;
                written += take;
                continue;
            }

            var c = source[read];
            if (char.IsHighSurrogate(c) && read + 1 == source.Length && !isFinalBlock)
            {
                return Stop(OperationStatus.NeedMoreData, read, written, out charsConsumed, out charsWritten);
            }

            // A surrogate stops the search only when unpaired.
            var length = Escape(char.IsSurrogate(c) ? 0xFFFD : c, destination[written..]);
            if (length == 0)
            {
                return Stop(OperationStatus.DestinationTooSmall, read, written, out charsConsumed, out charsWritten);
            }

            read++;
            written += length;
        }

        return Stop(OperationStatus.Done, read, written, out charsConsumed, out charsWritten);
    }

    /// <summary>Where the first UTF-16 character to escape is: a stop that is not half of a surrogate pair.</summary>
    private static int FindFirst(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAny(CharStops);
            if (found < 0)
            {
                return -1;
            }

            offset += found;
            if (char.IsHighSurrogate(text[offset]) && offset + 1 < text.Length && char.IsLowSurrogate(text[offset + 1]))
            {
                offset += 2;
                continue;
            }

            return offset;
        }
    }

    /// <summary>The length of the valid non-ASCII sequence at the start of <paramref name="utf8"/> that Go writes as itself; 0 when it must be escaped.</summary>
    private static int NonAsciiLength(ReadOnlySpan<byte> utf8) =>
        Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) == OperationStatus.Done && rune.Value is not (0x2028 or 0x2029) ? consumed : 0;

    /// <summary>Go's escape of <paramref name="scalar"/> into <paramref name="destination"/>; its length, or 0 when it does not fit.</summary>
    private static int Escape(int scalar, Span<char> destination)
    {
        var named = scalar switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\f' => 'f',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => '\0',
        };
        if (named != '\0')
        {
            if (destination.Length < 2)
            {
                return 0;
            }

            destination[0] = '\\';
            destination[1] = named;
            return 2;
        }

        if (destination.Length < 6)
        {
            return 0;
        }

        destination[0] = '\\';
        destination[1] = 'u';
        destination[2] = Hex[(scalar >> 12) & 0xF];
        destination[3] = Hex[(scalar >> 8) & 0xF];
        destination[4] = Hex[(scalar >> 4) & 0xF];
        destination[5] = Hex[scalar & 0xF];
        return 6;
    }

    private static int Raw(int scalar, Span<char> destination) => new Rune(scalar).EncodeToUtf16(destination);

    private static OperationStatus Stop(OperationStatus status, int read, int written, out int consumed, out int produced)
    {
        consumed = read;
        produced = written;
        return status;
    }

    private static byte[] Utf8StopBytes()
    {
        var stops = new List<byte>();
        for (var b = 0; b < 0x100; b++)
        {
            if (b is < 0x20 or '"' or '\\' or '<' or '>' or '&' or >= 0x80)
            {
                stops.Add((byte)b);
            }
        }

        return [.. stops];
    }

    private static string CharStopChars()
    {
        var stops = new StringBuilder();
        for (var c = 0; c < 0x20; c++)
        {
            stops.Append((char)c);
        }

        stops.Append("\"\\<>&\u2028\u2029");
        for (var c = 0xD800; c <= 0xDFFF; c++)
        {
            stops.Append((char)c);
        }

        return stops.ToString();
    }
}
