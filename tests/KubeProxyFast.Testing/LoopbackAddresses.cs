using System.Net;

namespace KubeProxyFast.Testing;

/// <summary>
/// Distinct addresses in 127.&lt;secondOctet&gt;.0.0/16, so tests running in parallel never bind
/// the same service IP. All of 127.0.0.0/8 is local on lo; nothing leaves the machine.
/// </summary>
/// <remarks>
/// Each test assembly owns one instance with its own second octet: the test assemblies run at the
/// same time as separate processes, and a counter in one process cannot see the other's.
/// </remarks>
public sealed class LoopbackAddresses
{
    private const int HostsPerBlock = 250;

    private readonly byte _secondOctet;
    private int _next;

    public LoopbackAddresses(byte secondOctet)
    {
        // 127.0/16 holds 127.0.0.1, where backends listen and clients bind.
        ArgumentOutOfRangeException.ThrowIfZero(secondOctet);
        _secondOctet = secondOctet;
    }

    public IPAddress Next()
    {
        var n = Interlocked.Increment(ref _next);
        if (n / HostsPerBlock > byte.MaxValue)
        {
            throw new InvalidOperationException($"127.{_secondOctet}.0.0/16 is used up");
        }

        return new IPAddress([127, _secondOctet, (byte)(n / HostsPerBlock), (byte)((n % HostsPerBlock) + 1)]);
    }
}
