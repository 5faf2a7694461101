using KubeProxyFast.Api.Meta;

namespace KubeProxyFast.KubeProxy.Config;

/// <summary>An object read from a config file, with where it came from.</summary>
/// <param name="ApiObject">The decoded object.</param>
/// <param name="Origin">Its place in the file: <c>document 2</c>, or <c>document 1, items[3]</c> inside a <c>kind: List</c>.</param>
public readonly record struct ConfigObject(KubeObject ApiObject, string Origin);
