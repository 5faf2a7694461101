"""Every served kind through the official Python client (python3-kubernetes): create, read, list,
patch (JSON patch, strategic merge, merge), replace, watch, delete and delete_collection.

Usage: kinds_client.py KUBECONFIG NAMESPACE KIND... Prints one JSON object per kind of what the
client saw (an error as {"status": code, "reason": reason}); the C# test (PythonClientKindsTests)
asserts on it. Calls go through the typed API (CoreV1Api.create_namespaced_pod, ...), so the
client's own paths, query parameters (watch=True), content types and decoding are what is tested.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
NS = sys.argv[2]
core = client.CoreV1Api()
coordination = client.CoordinationV1Api()


def pod(name):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "py"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}


def rc(name):
    return {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": name, "labels": {"app": "py"}},
            "spec": {"replicas": 0, "selector": {"app": name},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "php:8"}]}}}}


def service(name):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": {"app": "py"}},
            "spec": {"selector": {"app": "py"}, "ports": [{"port": 80}]}}


def endpoints(name):
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "labels": {"app": "py"}},
            "subsets": [{"addresses": [{"ip": "198.18.0.10"}], "ports": [{"port": 80}]}]}


def event(name):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "labels": {"app": "py"}},
            "involvedObject": {"kind": "Pod", "namespace": NS, "name": "p"}, "reason": "Tested", "message": "hello", "type": "Normal"}


def lease(name):
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": name, "labels": {"app": "py"}},
            "spec": {"holderIdentity": "a", "leaseDurationSeconds": 15}}


def configmap(name):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": "py"}}, "data": {"k": "v"}}


def secret(name):
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "labels": {"app": "py"}}, "stringData": {"k": "v"}}


def node(name):
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"app": "py"}}}


def namespace(name):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": {"app": "py"}}}


# kind -> (api, method suffix, namespaced, body, REST path of the collection, response type)
KINDS = {
    "Pod": (core, "pod", True, pod, "/api/v1/namespaces/{ns}/pods", "V1Pod"),
    "ReplicationController": (core, "replication_controller", True, rc, "/api/v1/namespaces/{ns}/replicationcontrollers", "V1ReplicationController"),
    "Service": (core, "service", True, service, "/api/v1/namespaces/{ns}/services", "V1Service"),
    "Endpoints": (core, "endpoints", True, endpoints, "/api/v1/namespaces/{ns}/endpoints", "V1Endpoints"),
    "Event": (core, "event", True, event, "/api/v1/namespaces/{ns}/events", "CoreV1Event"),
    "Lease": (coordination, "lease", True, lease, "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases", "V1Lease"),
    "ConfigMap": (core, "config_map", True, configmap, "/api/v1/namespaces/{ns}/configmaps", "V1ConfigMap"),
    "Secret": (core, "secret", True, secret, "/api/v1/namespaces/{ns}/secrets", "V1Secret"),
    "Node": (core, "node", False, node, "/api/v1/nodes", "V1Node"),
    "Namespace": (core, "namespace", False, namespace, "/api/v1/namespaces", "V1Namespace"),
}


def error(e):
    body = json.loads(e.body) if e.body else {}
    return {"status": e.status, "reason": body.get("reason"), "message": body.get("message")}


def call(api, verb, suffix, namespaced, **kwargs):
    name = verb + ("_namespaced_" if namespaced else "_") + suffix
    if namespaced:
        kwargs["namespace"] = NS
    return getattr(api, name)(**kwargs)


def exercise(kind):
    api, suffix, namespaced, body, path, response_type = KINDS[kind]
    # Cluster-scoped names carry the namespace so that test classes sharing a server do not collide.
    name = ("py-" + kind.lower()) if namespaced else (NS + "-" + kind.lower())
    seen = {}
    start = call(api, "list", suffix, namespaced).metadata.resource_version
    created = call(api, "create", suffix, namespaced, body=body(name))
    seen["created"] = {"name": created.metadata.name, "uid": bool(created.metadata.uid), "apiVersion": created.api_version, "kind": created.kind}
    try:
        call(api, "create", suffix, namespaced, body=body(name))
        seen["duplicate"] = None
    except ApiException as e:
        seen["duplicate"] = {"status": e.status, "body": e.body, "contentType": e.headers.get("Content-Type")}
    seen["read"] = call(api, "read", suffix, namespaced, name=name).metadata.name
    seen["listed"] = sorted(o.metadata.name for o in call(api, "list", suffix, namespaced, label_selector="app=py").items
                            if o.metadata.name == name)
    # A list of operations goes as application/json-patch+json, a dict as strategic merge (the client's own choice).
    call(api, "patch", suffix, namespaced, name=name, body=[{"op": "add", "path": "/metadata/labels/json", "value": "1"}])
    call(api, "patch", suffix, namespaced, name=name, body={"metadata": {"labels": {"strategic": "1"}}})
    # Merge patch: the typed API cannot choose it; the client's own call_api with the content type can.
    merged = api.api_client.call_api(
        path.format(ns=NS) + "/" + name, "PATCH", header_params={"Content-Type": "application/merge-patch+json", "Accept": "application/json"},
        body={"metadata": {"labels": {"merge": "1"}}}, response_type=response_type, _return_http_data_only=True)
    seen["patched"] = dict(sorted((merged.metadata.labels or {}).items()))
    current = call(api, "read", suffix, namespaced, name=name)
    current.metadata.labels["replaced"] = "1"
    replaced = call(api, "replace", suffix, namespaced, name=name, body=current)
    seen["replaced"] = replaced.metadata.labels.get("replaced")
    stale = current
    stale.metadata.labels["stale"] = "1"
    try:
        call(api, "replace", suffix, namespaced, name=name, body=stale)
        seen["stale"] = None
    except ApiException as e:
        seen["stale"] = error(e)
    # A replication controller's default (Orphan) waits for a garbage collector this apiserver alone does not run.
    background = {"propagation_policy": "Background"} if suffix == "replication_controller" else {}
    call(api, "delete", suffix, namespaced, name=name, **background)
    try:
        call(api, "read", suffix, namespaced, name=name)
        seen["gone"] = None
    except ApiException as e:
        seen["gone"] = error(e)
    events = []
    for ev in watch.Watch().stream(getattr(api, ("list_namespaced_" if namespaced else "list_") + suffix),
                                   **({"namespace": NS} if namespaced else {}), resource_version=start, timeout_seconds=10):
        if ev["object"].metadata.name != name:
            continue
        events.append(ev["type"])
        if ev["type"] == "DELETED":
            break
    seen["events"] = events
    # Namespaces have no deletecollection in Kubernetes, Services none in this client (1.22's API).
    if hasattr(api, ("delete_collection_namespaced_" if namespaced else "delete_collection_") + suffix):
        for i in range(3):
            call(api, "create", suffix, namespaced, body=body(name + "-" + str(i)))
        try:
            call(api, "delete_collection", suffix, namespaced, label_selector="app=py", field_selector="metadata.name!=" + name + "-2",
                 **background)
            seen["collection"] = sorted(o.metadata.name for o in call(api, "list", suffix, namespaced, label_selector="app=py").items
                                        if o.metadata.name.startswith(name))
        except ApiException as e:
            seen["collection"] = error(e)
    return seen


print(json.dumps({kind: exercise(kind) for kind in sys.argv[3:]}))
