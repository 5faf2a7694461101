namespace KubeProxyFast.Dataplane.Relay;

/// <summary>How TCP bytes are moved between the client and the endpoint.</summary>
public enum RelayMode
{
    /// <summary>
    /// Copy through a pooled buffer; switch a direction to splice once a read fills the whole
    /// buffer (bulk transfer), as HAProxy's splice-auto does: small request/response exchanges
    /// cost two syscalls per hop either way, and only bulk gains from zero-copy.
    /// </summary>
    Auto,

    /// <summary>Always splice(2) through a pipe (zero-copy).</summary>
    Splice,

    /// <summary>Always copy through a pooled buffer (read/write).</summary>
    Buffer,
}
