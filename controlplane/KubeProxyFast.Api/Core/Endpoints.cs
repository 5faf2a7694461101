using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.Api.Core;

/// <summary>v1 Endpoints: the addresses and ports behind a service, same name as the service.</summary>
public sealed class Endpoints : KubeObject
{
    /// <summary>Groups of addresses that share the same ports.</summary>
    public List<EndpointSubset>? Subsets { get; set; }
}

/// <summary>v1 EndpointsList.</summary>
public sealed class EndpointsList : KubeList<Endpoints>;

/// <summary>v1 EndpointSubset: every address × every port.</summary>
public sealed class EndpointSubset : Extensible
{
    /// <summary>Ready addresses: traffic goes here.</summary>
    public List<EndpointAddress>? Addresses { get; set; }

    /// <summary>Addresses of pods that are not ready (yet).</summary>
    public List<EndpointAddress>? NotReadyAddresses { get; set; }

    /// <summary>The ports of every address.</summary>
    public List<EndpointPort>? Ports { get; set; }
}

/// <summary>v1 EndpointAddress.</summary>
public sealed class EndpointAddress : Extensible
{
    /// <summary>The endpoint's IP.</summary>
    public string Ip { get; set; } = "";

    /// <summary>Host name of the endpoint.</summary>
    public string? Hostname { get; set; }

    /// <summary>Node hosting the endpoint.</summary>
    public string? NodeName { get; set; }

    /// <summary>The pod behind the address.</summary>
    public ObjectReference? TargetRef { get; set; }
}

/// <summary>v1 EndpointPort.</summary>
public sealed class EndpointPort : Extensible
{
    /// <summary>Name of the service port this answers to.</summary>
    public string? Name { get; set; }

    /// <summary>The port number.</summary>
    public int Port { get; set; }

    /// <summary><c>TCP</c> (default) or <c>UDP</c>.</summary>
    public string? Protocol { get; set; }
}

/// <summary>v1 ObjectReference.</summary>
public sealed class ObjectReference : Extensible
{
    /// <summary>Kind of the referent.</summary>
    public string? Kind { get; set; }

    /// <summary>Namespace of the referent.</summary>
    public string? Namespace { get; set; }

    /// <summary>Name of the referent.</summary>
    public string? Name { get; set; }

    /// <summary>UID of the referent.</summary>
    public string? Uid { get; set; }

    /// <summary>API version of the referent.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The referent's resourceVersion when the reference was made.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>A field within the referent, e.g. <c>spec.containers{web}</c>.</summary>
    public string? FieldPath { get; set; }
}
