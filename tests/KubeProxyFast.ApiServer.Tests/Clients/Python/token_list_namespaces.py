"""Lists namespaces over HTTPS with a bearer token through the official Python client (python3-kubernetes).

Usage: token_list_namespaces.py URL CA_FILE, with the token in the KPF_TOKEN environment variable
(not an argument: process lists show arguments). The client is configured as its documentation
shows for a token: Configuration() with host, ssl_ca_cert and api_key {"authorization": "Bearer T"}.
Prints {"namespaces": [names]} or, when the server refuses, {"status": code}; the C# test
(Security/TokenAuthenticationTests) asserts on it.
"""
import json
import os
import sys

from kubernetes import client
from kubernetes.client.rest import ApiException

configuration = client.Configuration()
configuration.host = sys.argv[1]
configuration.ssl_ca_cert = sys.argv[2]
configuration.api_key = {"authorization": "Bearer " + os.environ["KPF_TOKEN"]}
api = client.CoreV1Api(client.ApiClient(configuration))
try:
    names = [n.metadata.name for n in api.list_namespace().items]
    print(json.dumps({"namespaces": names}))
except ApiException as e:
    print(json.dumps({"status": e.status}))
