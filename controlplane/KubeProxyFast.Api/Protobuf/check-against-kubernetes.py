#!/usr/bin/env python3
"""Checks the .proto files beside this script against Kubernetes' published generated.proto files.

Usage: check-against-kubernetes.py API_REPO APIMACHINERY_REPO [REV]
  API_REPO, APIMACHINERY_REPO: clones (or bare mirrors) of kubernetes/api and kubernetes/apimachinery;
  REV: the revision to read in both (default HEAD). Needs protoc: $PROTOC, or the one in the
  Grpc.Tools NuGet package.

For every message we declare, it finds Kubernetes' message of the same full name and, field by
field, Kubernetes' field of the same number, and fails when:
  - the message or a field number does not exist in Kubernetes,
  - the label (optional/repeated/map) or the type differs (message types by full name, maps by key
    and value types),
  - the name differs from Kubernetes' (our names are the JSON names, which equal Kubernetes' proto
    names for every field we declare; a difference is reported so it is looked at, not silently kept),
  - a Kubernetes field is left out although its type needs no message we leave out (the rule in
    README.md: declare every field we can carry).
Fields left out because their message is not modelled are listed, not failed.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OWN_PACKAGE = "kubeproxyfast.protobuf"
KUBERNETES_FILES = {
    0: ["core/v1/generated.proto", "coordination/v1/generated.proto", "autoscaling/v1/generated.proto"],
    1: ["pkg/apis/meta/v1/generated.proto", "pkg/runtime/generated.proto", "pkg/runtime/schema/generated.proto",
        "pkg/util/intstr/generated.proto", "pkg/api/resource/generated.proto"],
}


def find_protoc():
    if os.environ.get("PROTOC"):
        return os.environ["PROTOC"]
    found = sorted(glob.glob(os.path.expanduser("~/.nuget/packages/grpc.tools/*/tools/linux_x64/protoc")))
    if not found:
        sys.exit("no protoc: set PROTOC or restore the Grpc.Tools package")
    return found[-1]


def include_dir(protoc):
    return os.path.join(os.path.dirname(protoc), "..", "..", "build", "native", "include")


def parse_text(text):
    """Parses protobuf text format into nested lists of (key, value) pairs."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[{}]|[\w.]+:?', text)
    pos = 0

    def block():
        nonlocal pos
        items = []
        while pos < len(tokens) and tokens[pos] != "}":
            key = tokens[pos].rstrip(":")
            pos += 1
            if tokens[pos] == "{":
                pos += 1
                items.append((key, block()))
                pos += 1
            else:
                items.append((key, tokens[pos].strip('"')))
                pos += 1
        return items

    return block()


def get(items, key, default=None):
    return next((v for k, v in items if k == key), default)


def all_of(items, key):
    return [v for k, v in items if k == key]


def load_messages(protoc, root, files):
    """Full name -> {number: field} for every message (map entries included) of the files under root."""
    with tempfile.NamedTemporaryFile(suffix=".pb") as out:
        subprocess.run([protoc, "-I", root, "-I", include_dir(protoc), "--include_imports",
                        "--descriptor_set_out=" + out.name] + files, check=True, cwd=root,
                       stderr=subprocess.DEVNULL)
        with open(out.name, "rb") as raw:
            text = subprocess.run([protoc, "-I", include_dir(protoc), "--decode=google.protobuf.FileDescriptorSet",
                                   "google/protobuf/descriptor.proto"], stdin=raw, capture_output=True,
                                  check=True).stdout.decode()
    messages = {}

    def add(prefix, message):
        name = prefix + "." + get(message, "name")
        fields = {}
        for field in all_of(message, "field"):
            fields[int(get(field, "number"))] = {
                "name": get(field, "name"), "label": get(field, "label"),
                "type": get(field, "type"), "type_name": (get(field, "type_name") or "").lstrip("."),
            }
        is_map = get(get(message, "options", []), "map_entry") == "true"
        messages[name] = {"fields": fields, "map_entry": is_map}
        for nested in all_of(message, "nested_type"):
            add(name, nested)

    for file in all_of(parse_text(text), "file"):
        if get(file, "package", "").startswith("google.protobuf"):
            continue
        for message in all_of(file, "message_type"):
            add(get(file, "package"), message)
    return messages


def shape(messages, field):
    """A comparable description of a field's label and type; maps by their key and value types."""
    entry = messages.get(field["type_name"])
    if entry and entry["map_entry"]:
        return ("map", shape(messages, entry["fields"][1]), shape(messages, entry["fields"][2]))
    return (field["label"], field["type"], field["type_name"])


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    repos = sys.argv[1:3]
    rev = sys.argv[3] if len(sys.argv) == 4 else "HEAD"
    protoc = find_protoc()
    with tempfile.TemporaryDirectory() as theirs_root:
        theirs_files = []
        for index, prefix in ((0, "k8s.io/api/"), (1, "k8s.io/apimachinery/")):
            for path in KUBERNETES_FILES[index]:
                text = subprocess.run(["git", "-C", repos[index], "show", rev + ":" + path], capture_output=True,
                                      check=True).stdout
                os.makedirs(os.path.dirname(os.path.join(theirs_root, prefix + path)), exist_ok=True)
                with open(os.path.join(theirs_root, prefix + path), "wb") as out:
                    out.write(text)
                theirs_files.append(prefix + path)
        theirs = load_messages(protoc, theirs_root, theirs_files)
    ours = load_messages(protoc, HERE, sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "*.proto"))))

    errors, left_out, checked = [], [], 0
    for name, message in sorted(ours.items()):
        if name.startswith(OWN_PACKAGE) or message["map_entry"]:
            continue
        if name not in theirs:
            errors.append(f"{name}: no such message in Kubernetes")
            continue
        their_fields = theirs[name]["fields"]
        for number, field in sorted(message["fields"].items()):
            checked += 1
            their = their_fields.get(number)
            where = f"{name}.{field['name']} = {number}"
            if their is None:
                errors.append(f"{where}: Kubernetes has no field {number}")
                continue
            if shape(ours, field) != shape(theirs, their):
                errors.append(f"{where}: type {shape(ours, field)} but Kubernetes has {shape(theirs, their)}")
            if field["name"] != their["name"]:
                errors.append(f"{where}: Kubernetes names it {their['name']}")
        for number, their in sorted(their_fields.items()):
            if number in message["fields"]:
                continue
            target = their["type_name"]
            entry = theirs.get(target)
            if entry and entry["map_entry"]:
                target = entry["fields"][2]["type_name"]
            if target and target not in ours:
                left_out.append(f"{name}.{their['name']} = {number} ({target.rsplit('.', 1)[-1]} not modelled)")
            else:
                errors.append(f"{name}.{their['name']} = {number}: left out although we can carry it")

    for line in left_out:
        print("left out: " + line)
    for line in errors:
        print("ERROR: " + line)
    print(f"{checked} fields checked, {len(left_out)} Kubernetes fields left out, {len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
