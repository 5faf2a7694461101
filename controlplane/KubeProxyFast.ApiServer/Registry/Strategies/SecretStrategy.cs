using System.Text;
using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>
/// Secrets, as Kubernetes' secret strategy: <c>stringData</c> is merged into <c>data</c> (its
/// values win) before validation and never stored, so a read never returns it; the type defaults
/// to <c>Opaque</c> and is fixed after create; selectable by <c>type</c>.
/// </summary>
internal sealed class SecretStrategy : ResourceStrategy
{
    public override void Default(KubeObject obj)
    {
        var secret = (Secret)obj;
        if (string.IsNullOrEmpty(secret.Type))
        {
            secret.Type = SecretTypes.Opaque;
        }
    }

    public override void PrepareForCreate(KubeObject obj) => MergeStringData((Secret)obj);

    public override void PrepareForUpdate(KubeObject obj, KubeObject old) => MergeStringData((Secret)obj);

    public override IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old) =>
        SecretValidation.ValidateUpdate((Secret)obj, (Secret)old);

    protected override string? KindFieldValue(KubeObject obj, string field) =>
        field == "type" ? ((Secret)obj).Type ?? "" : null;

    /// <summary>Kubernetes does this in conversion: every later step sees only <c>data</c>.</summary>
    private static void MergeStringData(Secret secret)
    {
        if (secret.StringData is not { } text)
        {
            return;
        }

        var data = secret.Data ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in text)
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }

        secret.StringData = null;
    }
}
