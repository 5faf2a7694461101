using System.Diagnostics;
using KubeProxyFast.Api.Protobuf;

namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// Mutated protobuf bodies and mutated stored JSON of every kind: each transcodes or fails with a
/// <see cref="ProtoDecodeException"/> — no other exception, no hang, and JSON no larger than its bound.
/// Seeded, so a failure reproduces.
/// </summary>
public sealed class ProtoFuzzTests
{
    private const int Iterations = 3000;

    [Fact]
    public void ProtoToJson_MutatedBodiesOfEveryKind_TranscodeOrRefuseCleanly()
    {
        var random = new Random(1406);
        var samples = ProtoSamples.ByKind.Select(s => (Message: ProtoKinds.Find(s.Key.ApiVersion, s.Key.Kind)!, Bytes: ProtoRoundTripTests.Encode(s.Value, ProtoKinds.Find(s.Key.ApiVersion, s.Key.Kind)!, 7, out _))).ToArray();
        var refused = 0;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
        {
            var (message, bytes) = samples[random.Next(samples.Length)];
            var mutated = Mutate(random, bytes);
            try
            {
                var json = ProtoRoundTripTests.Decode(mutated, message, "v1", "X", maxJsonBytes: 8 * mutated.Length + 1024);
                Assert.True(json.Length <= (8 * mutated.Length) + 1024 + 64, "JSON past its bound");
            }
            catch (ProtoDecodeException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, 1, Iterations - 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{Iterations} transcodes took {clock.Elapsed}");
    }

    [Fact]
    public void JsonToProto_MutatedJsonOfEveryKind_TranscodesOrRefusesCleanly()
    {
        var random = new Random(1407);
        var samples = ProtoSamples.ByKind.Select(s => (Message: ProtoKinds.Find(s.Key.ApiVersion, s.Key.Kind)!, Bytes: System.Text.Encoding.UTF8.GetBytes(s.Value))).ToArray();
        var refused = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var (message, bytes) = samples[random.Next(samples.Length)];
            using var output = new ProtoOutput();
            try
            {
                JsonToProto.Write(Mutate(random, bytes), message, output, random.Next(2) * 9);
            }
            catch (ProtoDecodeException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, 1, Iterations - 1);
    }

    [Fact]
    public void ProtoToJson_LengthClaimingGigabytes_RefusedWithoutAllocatingIt()
    {
        // Field 1 (metadata) claiming 2^31 bytes in a 7-byte body.
        byte[] bytes = [0x0A, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00];
        var pod = ProtoKinds.Find("v1", "Pod")!;
        ProtoRoundTripTests.Decode([0x0A, 0x00], pod, "v1", "Pod");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<ProtoDecodeException>(() => ProtoRoundTripTests.Decode(bytes, pod, "v1", "Pod"));

        Assert.Contains("runs past the end", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the claimed length was allocated");
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = new List<byte>(input);
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)));
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 64));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }
}
