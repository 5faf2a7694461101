#!/usr/bin/env python3
# The "editor" of `kubectl edit pod x -o json`: adds env B after A in the first container (once:
# kubectl reopens the editor on the file it wrote if the change is refused).
import json, sys
obj = json.load(open(sys.argv[1]))
env = obj["spec"]["containers"][0]["env"]
if all(e["name"] != "B" for e in env):
    env.append({"name": "B", "value": "2"})
json.dump(obj, open(sys.argv[1], "w"), indent=2)
