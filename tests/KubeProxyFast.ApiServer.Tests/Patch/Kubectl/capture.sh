#!/usr/bin/env bash
# Regenerates the PATCH requests kubectl sends: for each line of commands.txt, serves the live
# object named there from a tiny capturing apiserver on loopback (discovery, GET of the object and
# of its scale subresource; no OpenAPI, so kubectl computes strategic merge patches from its
# compiled-in types, as it does against kpf server), runs the command with the kubectl on PATH,
# and writes the request it sent into <name>.http beside the command:
#   PATCH <path>
#   Content-Type: <patch type>
#   <blank line>
#   <body, exactly as sent>
# Needs kubectl and python3. Usage: ./capture.sh [name...]   (no names: every command)
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/server.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

live_path, out_path, port_path = sys.argv[1:4]
live = json.load(open(live_path))
plural = {"Pod": "pods", "ReplicationController": "replicationcontrollers"}[live["kind"]]
base = f"/api/v1/namespaces/{live['metadata']['namespace']}/{plural}/{live['metadata']['name']}"

def resource(name, kind, verbs, **extra):
    return dict(name=name, singularName="", namespaced=True, kind=kind, verbs=verbs, **extra)

DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "autoscaling", "versions": [{"groupVersion": "autoscaling/v1", "version": "v1"}],
         "preferredVersion": {"groupVersion": "autoscaling/v1", "version": "v1"}}]},
    "/apis/autoscaling/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "autoscaling/v1", "resources": []},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        resource("pods", "Pod", ["create", "delete", "get", "list", "patch", "update", "watch"], shortNames=["po"]),
        resource("replicationcontrollers", "ReplicationController", ["create", "delete", "get", "list", "patch", "update", "watch"], shortNames=["rc"]),
        resource("replicationcontrollers/scale", "Scale", ["get", "patch", "update"], group="autoscaling", version="v1"),
    ]},
}

def scale():
    meta = live["metadata"]
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": meta["name"], "namespace": meta["namespace"], "resourceVersion": meta["resourceVersion"]},
            "spec": {"replicas": live["spec"]["replicas"]},
            "status": {"replicas": live["status"]["replicas"], "selector": ",".join(f"{k}={v}" for k, v in live["spec"]["selector"].items())}}

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def target(self):
        path = self.path.split("?")[0]
        return scale() if path == base + "/scale" else live if path == base else None

    def do_GET(self):
        path = self.path.split("?")[0]
        obj = DISCOVERY.get(path) or self.target()
        if obj is None:
            self.answer(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404, "message": path + " not found"})
        else:
            self.answer(200, obj)

    def do_PATCH(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(out_path, "wb") as out:
            out.write(f"PATCH {self.path.split('?')[0]}\nContent-Type: {self.headers['Content-Type']}\n\n".encode() + body)
        self.answer(200, self.target())

server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_path, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY

while IFS='|' read -r name live command; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  name=$(echo "$name" | xargs); live=$(echo "$live" | xargs)
  [[ $# -eq 0 || " $* " == *" $name "* ]] || continue
  rm -f "$work/port" "$name.http"
  python3 "$work/server.py" "$live" "$PWD/$name.http" "$work/port" &
  server=$!
  for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
  cat > "$work/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: capture, cluster: {server: "http://127.0.0.1:$(cat "$work/port")"}}]
contexts: [{name: capture, context: {cluster: capture, namespace: default}}]
current-context: capture
KC
  HOME="$work" KUBECONFIG="$work/kubeconfig" timeout 60 bash -c "$command" > /dev/null
  kill "$server"; wait "$server" 2>/dev/null || true
  [[ -s "$name.http" ]] || { echo "capture.sh: $name: kubectl sent no PATCH" >&2; exit 1; }
  echo "$name: $command"
done < commands.txt
kubectl version --client 2>/dev/null | head -1 > kubectl-version.txt
