using System.Runtime.InteropServices;
using KubeProxyFast.Dataplane.Relay;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>What the engine keeps per event loop: its relays and the service sockets it serves.</summary>
internal sealed unsafe class LoopContext : ILoopSweeper, IDisposable
{
    private readonly HashSet<IServiceSocket> _sockets = [];

    public LoopContext(EventLoop loop, TcpRelayManager relays)
    {
        Loop = loop;
        Relays = relays;
        DatagramBuffer = (byte*)NativeMemory.Alloc((nuint)relays.Options.UdpMaxDatagram);
        loop.AddSweeper(this);
    }

    public EventLoop Loop { get; }

    public TcpRelayManager Relays { get; }

    /// <summary>Where UDP datagrams of this loop are received and sent from.</summary>
    public byte* DatagramBuffer { get; }

    /// <summary>Opens a service socket on this loop. Loop thread.</summary>
    public void Add(IServiceSocket socket)
    {
        _sockets.Add(socket);
        socket.Open();
    }

    /// <summary>Closes a service socket on this loop. Loop thread.</summary>
    public void Remove(IServiceSocket socket)
    {
        if (_sockets.Remove(socket))
        {
            socket.Close();
        }
    }

    public void Sweep(long now)
    {
        foreach (var socket in _sockets)
        {
            socket.Sweep(now);
        }

        Relays.Sweep(now);
    }

    /// <summary>Closes everything this loop owns. Loop thread.</summary>
    public void Shutdown()
    {
        foreach (var socket in _sockets)
        {
            socket.Close();
        }

        _sockets.Clear();
        Relays.CloseAll();
    }

    public void Dispose()
    {
        Relays.Dispose();
        NativeMemory.Free(DatagramBuffer);
    }
}
