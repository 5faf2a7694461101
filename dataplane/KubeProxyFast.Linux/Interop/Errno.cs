using System.Runtime.InteropServices;
using Tmds.Linux;

namespace KubeProxyFast.Linux.Interop;

/// <summary>errno values the callers react to (named as in <c>errno.h</c>), and their C names and texts for messages.</summary>
public static class Errno
{
    public static readonly int EAGAIN = LibC.EAGAIN;
    public static readonly int ENOENT = LibC.ENOENT;
    public static readonly int EINTR = LibC.EINTR;
    public static readonly int EBUSY = LibC.EBUSY;
    public static readonly int EINVAL = LibC.EINVAL;
    public static readonly int EEXIST = LibC.EEXIST;
    public static readonly int ENODEV = LibC.ENODEV;
    public static readonly int EINPROGRESS = LibC.EINPROGRESS;
    public static readonly int ECONNABORTED = LibC.ECONNABORTED;
    public static readonly int EMFILE = LibC.EMFILE;
    public static readonly int ENFILE = LibC.ENFILE;
    public static readonly int ENOBUFS = LibC.ENOBUFS;
    public static readonly int ENOMEM = LibC.ENOMEM;
    public static readonly int ECONNREFUSED = LibC.ECONNREFUSED;

    /// <summary>The errno of the last failed call on this thread.</summary>
    public static int Last => LibC.errno;

    /// <summary>The C library's text and the C name of <paramref name="errno"/>, e.g. <c>File exists (EEXIST)</c>.</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} ({Name(errno)})";

    /// <summary>The C name of <paramref name="errno"/> (e.g. <c>ECONNREFUSED</c>), or its number.</summary>
    public static string Name(int errno) => errno switch
    {
        1 => "EPERM",
        2 => "ENOENT",
        3 => "ESRCH",
        4 => "EINTR",
        9 => "EBADF",
        11 => "EAGAIN",
        12 => "ENOMEM",
        7 => "E2BIG",
        13 => "EACCES",
        16 => "EBUSY",
        17 => "EEXIST",
        19 => "ENODEV",
        22 => "EINVAL",
        23 => "ENFILE",
        24 => "EMFILE",
        28 => "ENOSPC",
        32 => "EPIPE",
        34 => "ERANGE",
        39 => "ENOTEMPTY",
        40 => "ELOOP",
        75 => "EOVERFLOW",
        90 => "EMSGSIZE",
        93 => "EPROTONOSUPPORT",
        95 => "EOPNOTSUPP",
        97 => "EAFNOSUPPORT",
        98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL",
        100 => "ENETDOWN",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        105 => "ENOBUFS",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        115 => "EINPROGRESS",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
