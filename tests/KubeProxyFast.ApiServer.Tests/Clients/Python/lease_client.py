"""Leases through the official Python client (python3-kubernetes): create, read, replace, list, watch.

Usage: lease_client.py KUBECONFIG. Prints one JSON object of what the client saw; the C# test
(PythonClientTests) asserts on it. Every call goes through the client's typed API, so its
serialization (MicroTime, resourceVersion) and its reading of Status errors are what is tested.
"""
import datetime
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
api = client.CoordinationV1Api()
seen = {}

start = api.list_namespaced_lease("default").metadata.resource_version
renew = datetime.datetime(2026, 12, 6, 10, 0, 0, 123456, tzinfo=datetime.timezone.utc)
created = api.create_namespaced_lease("default", client.V1Lease(
    metadata=client.V1ObjectMeta(name="py-lock"),
    spec=client.V1LeaseSpec(holder_identity="a", lease_duration_seconds=15, acquire_time=renew, renew_time=renew, lease_transitions=0)))
seen["created"] = {"apiVersion": created.api_version, "holder": created.spec.holder_identity}

read = api.read_namespaced_lease("py-lock", "default")
seen["renewTime"] = read.spec.renew_time.isoformat()

read.spec.holder_identity = "b"
read.spec.lease_transitions = 1
replaced = api.replace_namespaced_lease("py-lock", "default", read)
seen["replaced"] = {"holder": replaced.spec.holder_identity, "transitions": replaced.spec.lease_transitions}

created.spec.holder_identity = "c"
try:
    api.replace_namespaced_lease("py-lock", "default", created)
    seen["stale"] = None
except ApiException as e:
    seen["stale"] = {"status": e.status, "reason": json.loads(e.body)["reason"]}

seen["listed"] = [l.metadata.name for l in api.list_namespaced_lease("default").items]
api.delete_namespaced_lease("py-lock", "default")

events = []
for event in watch.Watch().stream(api.list_namespaced_lease, "default", resource_version=start, timeout_seconds=10):
    events.append([event["type"], event["object"].spec.holder_identity])
    if event["type"] == "DELETED":
        break
seen["events"] = events

print(json.dumps(seen))
