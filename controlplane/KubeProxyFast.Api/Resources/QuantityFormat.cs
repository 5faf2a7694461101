namespace KubeProxyFast.Api.Resources;

/// <summary>
/// How a <see cref="Quantity"/> is written back out (Kubernetes <c>resource.Format</c>). A parsed
/// quantity remembers the family of the suffix it was written with and is re-emitted in it.
/// </summary>
public enum QuantityFormat
{
    /// <summary>
    /// Powers of 1000: <c>n u m "" k M G T P E</c>, e.g. <c>100m</c>, <c>2k</c>. The default, so
    /// that <c>default(Quantity)</c> is a plain decimal zero as Kubernetes' <c>"0"</c>.
    /// </summary>
    DecimalSI = 0,

    /// <summary>Powers of 1024: <c>Ki Mi Gi Ti Pi Ei</c>, e.g. <c>64Mi</c>.</summary>
    BinarySI = 1,

    /// <summary>A base-10 exponent that is a multiple of 3, e.g. <c>1e3</c>, <c>80e-3</c>.</summary>
    DecimalExponent = 2,
}
