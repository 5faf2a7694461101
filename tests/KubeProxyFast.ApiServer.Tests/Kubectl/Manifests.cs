namespace KubeProxyFast.ApiServer.Tests.Kubectl;

/// <summary>The manifests the kubectl tests feed to kubectl, as a user would write them.</summary>
internal static class Manifests
{
    public const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          labels:
            app: web
        spec:
          containers:
          - name: nginx
            image: nginx:1.25
            ports:
            - containerPort: 80
        """;

    public const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          type: NodePort
          selector:
            app: web
          ports:
          - port: 80
            targetPort: 8080
        """;

    public const string Controller = """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: frontend
        spec:
          replicas: 2
          selector:
            app: frontend
          template:
            metadata:
              labels:
                app: frontend
            spec:
              containers:
              - name: php
                image: php:8
        """;
}
