namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>Kinds without defaults, status or selectable fields of their own (endpoints).</summary>
internal sealed class PlainStrategy : ResourceStrategy;
