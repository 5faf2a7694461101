using KubeProxyFast.Api.Core;
using KubeProxyFast.Api.Meta;
using KubeProxyFast.Api.Validation;

namespace KubeProxyFast.ApiServer.Registry.Strategies;

/// <summary>ConfigMaps, as Kubernetes' configmap strategy: no defaults, no status; an immutable one keeps its data.</summary>
internal sealed class ConfigMapStrategy : ResourceStrategy
{
    public override IReadOnlyList<FieldError> ValidateUpdate(KubeObject obj, KubeObject old) =>
        ConfigMapValidation.ValidateUpdate((ConfigMap)obj, (ConfigMap)old);
}
