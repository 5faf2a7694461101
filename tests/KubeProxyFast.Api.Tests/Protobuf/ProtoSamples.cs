namespace KubeProxyFast.Api.Tests.Protobuf;

/// <summary>
/// One object of every kind with protobuf, in the JSON the store holds: every special type
/// (Time, MicroTime, IntOrString as int and string, Quantity, bytes, maps, inline Probe handler),
/// pointer fields at zero, and no other scalar at its zero value (protobuf to JSON leaves those out,
/// as Go's JSON encoder does).
/// </summary>
internal static class ProtoSamples
{
    private const string Meta = """
        "metadata":{"name":"web-1","generateName":"web-","namespace":"default","uid":"6f1c2b1e-0b43-4e1a-9d6a-2d6b1c1e4f10","generation":3,
        "creationTimestamp":"2015-01-01T00:00:00Z","deletionTimestamp":"2015-01-02T03:04:05Z","deletionGracePeriodSeconds":0,
        "labels":{"app":"web","tier":"front"},"annotations":{"note":"héllo \"quoted\" <tag>"},
        "ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"web","uid":"u-1","controller":true,"blockOwnerDeletion":false}],
        "finalizers":["kubernetes.io/x"],
        "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2015-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{}}}}}]}
        """;

    /// <summary>The JSON of each kind, by apiVersion and kind.</summary>
    public static IReadOnlyDictionary<(string ApiVersion, string Kind), string> ByKind { get; } = new Dictionary<(string, string), string>
    {
        [("v1", "Pod")] = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"," + Meta + """
            ,"spec":{"containers":[{"name":"web","image":"nginx:1.25","command":["nginx"],"args":["-g","daemon off;"],"workingDir":"/srv",
            "ports":[{"name":"http","containerPort":8080,"protocol":"TCP","hostPort":18080}],
            "env":[{"name":"A","value":"1"},{"name":"NODE","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}}],
            "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m"}},
            "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"initialDelaySeconds":5,"periodSeconds":10,"failureThreshold":3},
            "readinessProbe":{"tcpSocket":{"port":8080},"timeoutSeconds":2},
            "startupProbe":{"exec":{"command":["cat","/tmp/ready"]},"successThreshold":1},
            "imagePullPolicy":"IfNotPresent","stdin":true,"tty":true,"terminationMessagePath":"/dev/termination-log"}],
            "restartPolicy":"Always","terminationGracePeriodSeconds":0,"activeDeadlineSeconds":600,"dnsPolicy":"ClusterFirst",
            "nodeSelector":{"disk":"ssd"},"serviceAccountName":"default","nodeName":"n1","hostNetwork":true,"hostname":"web",
            "schedulerName":"default-scheduler","automountServiceAccountToken":false,"priority":0,"enableServiceLinks":true},
            "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2015-01-01T00:01:00Z"}],
            "hostIP":"198.18.0.2","podIP":"198.18.1.5","podIPs":[{"ip":"198.18.1.5"}],"startTime":"2015-01-01T00:00:30Z",
            "containerStatuses":[{"name":"web","state":{"running":{"startedAt":"2015-01-01T00:00:40Z"}},
            "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2014-12-31T23:00:00Z","finishedAt":"2014-12-31T23:59:00Z","containerID":"containerd://abc"}},
            "ready":true,"restartCount":2,"image":"nginx:1.25","imageID":"sha256:abc","containerID":"containerd://def","started":true}],"qosClass":"Burstable"}}
            """,
        [("v1", "Service")] = "{\"kind\":\"Service\",\"apiVersion\":\"v1\"," + Meta + """
            ,"spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080},{"name":"named","protocol":"UDP","port":53,"targetPort":"dns"}],
            "selector":{"app":"web"},"clusterIP":"198.19.0.10","clusterIPs":["198.19.0.10"],"type":"NodePort","externalIPs":["198.18.0.50"],
            "sessionAffinity":"ClientIP","externalTrafficPolicy":"Cluster","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":10800}}},
            "status":{"loadBalancer":{"ingress":[{"ip":"198.18.0.60"}]}}}
            """,
        [("v1", "Endpoints")] = "{\"kind\":\"Endpoints\",\"apiVersion\":\"v1\"," + Meta + """
            ,"subsets":[{"addresses":[{"ip":"198.18.1.5","nodeName":"n1","targetRef":{"kind":"Pod","namespace":"default","name":"web-1","uid":"u-2"}}],
            "notReadyAddresses":[{"ip":"198.18.1.6"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}
            """,
        [("v1", "Node")] = "{\"kind\":\"Node\",\"apiVersion\":\"v1\"," + Meta + """
            ,"spec":{"podCIDR":"198.18.64.0/24","podCIDRs":["198.18.64.0/24"],"unschedulable":true,"taints":[{"key":"k","value":"v","effect":"NoSchedule"}]},
            "status":{"capacity":{"cpu":"2","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"1900m"},
            "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2015-01-01T00:00:00Z","lastTransitionTime":"2015-01-01T00:00:00Z","reason":"KubeletReady","message":"ok"}],
            "addresses":[{"type":"InternalIP","address":"198.18.0.2"},{"type":"Hostname","address":"n1"}],
            "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},"nodeInfo":{"kubeletVersion":"v1.32.0","containerRuntimeVersion":"containerd://1.6.20","architecture":"amd64","operatingSystem":"linux"}}}
            """,
        [("v1", "Namespace")] = "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\"," + Meta + """
            ,"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
            """,
        [("v1", "ReplicationController")] = "{\"kind\":\"ReplicationController\",\"apiVersion\":\"v1\"," + Meta + """
            ,"spec":{"replicas":0,"minReadySeconds":5,"selector":{"app":"web"},
            "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}},
            "status":{"replicas":2,"readyReplicas":1,"observedGeneration":3}}
            """,
        [("v1", "Event")] = "{\"kind\":\"Event\",\"apiVersion\":\"v1\"," + Meta + """
            ,"involvedObject":{"kind":"Pod","namespace":"default","name":"web-1","uid":"u-2","apiVersion":"v1","resourceVersion":"7","fieldPath":"spec.containers{web}"},
            "reason":"Started","message":"Started container web","source":{"component":"kubelet","host":"n1"},
            "firstTimestamp":"2015-01-01T00:00:00Z","lastTimestamp":"2015-01-01T00:05:00Z","count":3,"type":"Normal",
            "eventTime":"2015-01-01T00:00:00.123456Z",
            "action":"Started","reportingComponent":"kubelet","reportingInstance":"n1"}
            """,
        [("v1", "Binding")] = "{\"kind\":\"Binding\",\"apiVersion\":\"v1\"," + Meta + """
            ,"target":{"kind":"Node","name":"n1","apiVersion":"v1"}}
            """,
        [("v1", "ConfigMap")] = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"," + Meta + """
            ,"immutable":false,"data":{"game.properties":"lives=3\nenemies=aliens","empty":""},"binaryData":{"blob":"AAEC/w=="}}
            """,
        [("v1", "Secret")] = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\"," + Meta + """
            ,"immutable":true,"data":{"tls.crt":"LS0tLS1CRUdJTg==","zero":"AA=="},"type":"kubernetes.io/tls"}
            """,
        [("certificates.k8s.io/v1", "CertificateSigningRequest")] = "{\"kind\":\"CertificateSigningRequest\",\"apiVersion\":\"certificates.k8s.io/v1\"," + Meta + """
            ,"spec":{"request":"LS0tLS1CRUdJTg==","signerName":"kubernetes.io/kube-apiserver-client-kubelet","expirationSeconds":86400,
            "usages":["digital signature","client auth"],"username":"system:bootstrap:abcdef","uid":"u-1","groups":["system:bootstrappers","system:authenticated"]},
            "status":{"conditions":[{"type":"Approved","status":"True","reason":"AutoApproved","message":"auto-approved","lastUpdateTime":"2015-01-01T00:00:00Z","lastTransitionTime":"2015-01-01T00:00:00Z"}],
            "certificate":"LS0tLS1CRUdJTg=="}}
            """,
        [("coordination.k8s.io/v1", "Lease")] = "{\"kind\":\"Lease\",\"apiVersion\":\"coordination.k8s.io/v1\"," + Meta + """
            ,"spec":{"holderIdentity":"n1","leaseDurationSeconds":40,"acquireTime":"2015-01-01T00:00:00.000001Z","renewTime":"2015-01-01T00:00:10.123456Z","leaseTransitions":0}}
            """,
        [("rbac.authorization.k8s.io/v1", "Role")] = "{\"kind\":\"Role\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\"," + Meta + """
            ,"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods","pods/log"],"resourceNames":["web-1"]}]}
            """,
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = "{\"kind\":\"ClusterRole\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\"," + Meta + """
            ,"rules":[{"verbs":["get"],"nonResourceURLs":["/healthz","/version/*"]}],
            "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate-to-view":"true"}}]}}
            """,
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = "{\"kind\":\"RoleBinding\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\"," + Meta + """
            ,"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"},{"kind":"ServiceAccount","name":"default","namespace":"default"}],
            "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}
            """,
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = "{\"kind\":\"ClusterRoleBinding\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\"," + Meta + """
            ,"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"system:authenticated"}],
            "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:discovery"}}
            """,
        [("authorization.k8s.io/v1", "SubjectAccessReview")] = "{\"kind\":\"SubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\"," + Meta + """
            ,"spec":{"resourceAttributes":{"namespace":"default","verb":"get","group":"apps","version":"v1","resource":"deployments","subresource":"scale","name":"web"},
            "user":"alice","groups":["dev","system:authenticated"],"uid":"u-1"},"status":{"allowed":true,"reason":"allowed by a test","evaluationError":"partial"}}
            """,
        [("authorization.k8s.io/v1", "LocalSubjectAccessReview")] = "{\"kind\":\"LocalSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\"," + Meta + """
            ,"spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"},"user":"bob"},"status":{"denied":true}}
            """,
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\"," + Meta + """
            ,"spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}},"status":{"allowed":true}}
            """,
        [("authorization.k8s.io/v1", "SelfSubjectRulesReview")] = "{\"kind\":\"SelfSubjectRulesReview\",\"apiVersion\":\"authorization.k8s.io/v1\"," + Meta + """
            ,"spec":{"namespace":"default"},"status":{"resourceRules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"],"resourceNames":["web"]}],
            "nonResourceRules":[{"verbs":["get"],"nonResourceURLs":["/healthz","/api/*"]}],"incomplete":true,"evaluationError":"rbac: partial"}}
            """,
        [("authentication.k8s.io/v1", "TokenReview")] = "{\"kind\":\"TokenReview\",\"apiVersion\":\"authentication.k8s.io/v1\"," + Meta + """
            ,"spec":{"token":"abc.def","audiences":["https://kubernetes.default.svc"]},
            "status":{"authenticated":true,"user":{"username":"alice","uid":"u-1","groups":["dev"]},"audiences":["https://kubernetes.default.svc"],"error":"none"}}
            """,
        [("authentication.k8s.io/v1", "SelfSubjectReview")] = "{\"kind\":\"SelfSubjectReview\",\"apiVersion\":\"authentication.k8s.io/v1\"," + Meta + """
            ,"status":{"userInfo":{"username":"alice","groups":["dev","system:authenticated"]}}}
            """,
        [("autoscaling/v1", "Scale")] = "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\"," + Meta + """
            ,"spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}}
            """,
    };
}
