using KubeProxyFast.ApiServer.Errors;
using KubeProxyFast.ApiServer.Handlers;
using KubeProxyFast.ApiServer.Proxy;
using KubeProxyFast.ApiServer.Reviews;
using KubeProxyFast.ApiServer.Watch;
using Microsoft.AspNetCore.Http;

namespace KubeProxyFast.ApiServer.Routing;

/// <summary>Maps a request under <c>/api/v1</c> to its verb and handler.</summary>
internal sealed class ApiDispatcher
{
    private readonly ObjectHandlers _objects;
    private readonly ListHandler _lists;
    private readonly WatchHandler _watches;
    private readonly ProxyHandler _proxy;
    private readonly DeleteCollectionHandler _collections;
    private readonly CreateOnlyHandler _createOnly;

    public ApiDispatcher(ObjectHandlers objects, ListHandler lists, WatchHandler watches, ProxyHandler proxy, CreateOnlyHandler createOnly)
    {
        _createOnly = createOnly;
        _objects = objects;
        _lists = lists;
        _watches = watches;
        _proxy = proxy;
        _collections = new DeleteCollectionHandler(objects, lists);
    }

    /// <summary>The verb, as kube-apiserver's metrics name it (LIST, WATCH, GET, POST, PUT, PATCH, DELETE, DELETECOLLECTION).</summary>
    public static string Verb(HttpContext http, ApiPath path)
    {
        var method = http.Request.Method;
        if (path.Name is null && path.Resource is not null)
        {
            if (HttpMethods.IsGet(method))
            {
                return QueryValues.Bool(http.Request.Query["watch"]) ? "WATCH" : "LIST";
            }

            if (HttpMethods.IsDelete(method) && !path.IsBindingsCollection)
            {
                return "DELETECOLLECTION";
            }
        }

        return method.ToUpperInvariant();
    }

    public Task DispatchAsync(ApiContext context)
    {
        var path = context.Path;
        var method = context.Http.Request.Method;
        if (path.Resource!.Namespaced && path.Namespace is null && path.Name is not null)
        {
            throw StatusErrors.PathNotFound(context.Http.Request.Path);
        }

        if (path.Resource.IsCreateOnly)
        {
            // A POST to the collection, as Kubernetes routes a storage that only creates; its
            // collection serves no other method and it has no objects to name.
            return path.Name is not null ? throw StatusErrors.PathNotFound(context.Http.Request.Path)
                : HttpMethods.IsPost(method) && (path.Namespace is not null || !path.Resource.Namespaced) ? _createOnly.CreateAsync(context)
                : throw NotAllowed(context);
        }

        if (path.IsBindingsCollection)
        {
            return HttpMethods.IsPost(method) ? _objects.BindAsync(context) : throw NotAllowed(context);
        }

        if (path.Name is null)
        {
            return method switch
            {
                _ when HttpMethods.IsGet(method) => context.Verb == "WATCH" ? _watches.WatchAsync(context) : _lists.ListAsync(context),
                _ when HttpMethods.IsPost(method) && (path.Namespace is not null || !path.Resource.Namespaced) => _objects.CreateAsync(context),
                // As Kubernetes: on a namespace's collection (not across namespaces), for resources that serve the verb.
                _ when context.Verb == "DELETECOLLECTION" && (path.Namespace is not null || !path.Resource.Namespaced)
                    && Contains(path.Resource.Info.Verbs, "deletecollection") => _collections.DeleteCollectionAsync(context),
                _ => throw NotAllowed(context),
            };
        }

        if (path.Subresource is not null && !Contains(path.Resource.Subresources, path.Subresource))
        {
            throw StatusErrors.PathNotFound(context.Http.Request.Path);
        }

        return path.Subresource switch
        {
            null => method switch
            {
                _ when HttpMethods.IsGet(method) => _objects.GetAsync(context),
                _ when HttpMethods.IsPut(method) => _objects.UpdateAsync(context, null),
                _ when HttpMethods.IsPatch(method) => _objects.PatchAsync(context, null),
                _ when HttpMethods.IsDelete(method) => _objects.DeleteAsync(context),
                _ => throw NotAllowed(context),
            },
            "status" => method switch
            {
                _ when HttpMethods.IsGet(method) => _objects.GetAsync(context),
                _ when HttpMethods.IsPut(method) => _objects.UpdateAsync(context, "status"),
                _ when HttpMethods.IsPatch(method) => _objects.PatchAsync(context, "status"),
                _ => throw NotAllowed(context),
            },
            "approval" => method switch
            {
                _ when HttpMethods.IsGet(method) => _objects.GetAsync(context),
                _ when HttpMethods.IsPut(method) => _objects.UpdateAsync(context, "approval"),
                _ when HttpMethods.IsPatch(method) => _objects.PatchAsync(context, "approval"),
                _ => throw NotAllowed(context),
            },
            "scale" => method switch
            {
                _ when HttpMethods.IsGet(method) => _objects.GetScaleAsync(context),
                _ when HttpMethods.IsPut(method) => _objects.UpdateScaleAsync(context),
                _ when HttpMethods.IsPatch(method) => _objects.PatchAsync(context, "scale"),
                _ => throw NotAllowed(context),
            },
            "binding" => HttpMethods.IsPost(method) ? _objects.BindAsync(context) : throw NotAllowed(context),
            "proxy" => _proxy.ForwardAsync(context),
            _ => throw StatusErrors.PathNotFound(context.Http.Request.Path),
        };
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var v in values)
        {
            if (v == value)
            {
                return true;
            }
        }

        return false;
    }

    private static StatusException NotAllowed(ApiContext context) =>
        StatusErrors.MethodNotAllowed(context.Http.Request.Method, context.Http.Request.Path);
}
