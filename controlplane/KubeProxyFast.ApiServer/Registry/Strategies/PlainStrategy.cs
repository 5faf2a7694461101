namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// Endpoints: no defaults, status or selectable fields of their own; the endpoints controller
/// writes them whole, so a PUT may create them.
/// </summary>
internal sealed class PlainStrategy : ResourceStrategy
{
    public override bool AllowCreateOnUpdate => true;
}
