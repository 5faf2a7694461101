using System.Net;

namespace KubeProxyFast.Dataplane.Proxier;

/// <summary>A socket through which one service port receives clients on one event loop.</summary>
internal interface IServiceSocket
{
    /// <summary>The address it is bound to.</summary>
    IPEndPoint Address { get; }

    /// <summary>Registers with the loop. Loop thread.</summary>
    void Open();

    /// <summary>Closes the socket. Loop thread.</summary>
    void Close();

    /// <summary>Periodic work (resuming paused accepts, expiring sessions). Loop thread.</summary>
    void Sweep(long now);
}
