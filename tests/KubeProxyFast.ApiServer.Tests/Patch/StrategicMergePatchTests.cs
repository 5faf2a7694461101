using KubeProxyFast.ApiServer.Patch;
using static KubeProxyFast.ApiServer.Tests.Patch.PatchJsonAssert;

namespace KubeProxyFast.ApiServer.Tests.Patch;

public sealed class StrategicMergePatchTests
{
    private const string TwoContainers = """
        {"spec":{"containers":[
          {"name":"a","image":"a:1","ports":[{"containerPort":80},{"containerPort":81}],"env":[{"name":"X","value":"1"}]},
          {"name":"b","image":"b:1"}]}}
        """;

    [Fact]
    public void Apply_Maps_MergeAndNullDeletes()
    {
        Patches(
            """{"metadata":{"labels":{"a":"1","b":"2"},"name":"x"}}""",
            """{"metadata":{"labels":{"a":null,"c":"3"}}}""",
            """{"metadata":{"labels":{"b":"2","c":"3"},"name":"x"}}""");
    }

    [Fact]
    public void Apply_NewFieldWithNulls_StoresNoNulls()
    {
        Patches("{}", """{"metadata":{"labels":{"a":null,"b":"c"}}}""", """{"metadata":{"labels":{"b":"c"}}}""");
    }

    [Fact]
    public void Apply_ContainerByName_MergesOnlyThatContainer()
    {
        Patches(
            TwoContainers,
            """{"spec":{"containers":[{"name":"b","image":"b:2"}]}}""",
            """
            {"spec":{"containers":[
              {"name":"a","image":"a:1","ports":[{"containerPort":80},{"containerPort":81}],"env":[{"name":"X","value":"1"}]},
              {"name":"b","image":"b:2"}]}}
            """);
    }

    [Fact]
    public void Apply_NewContainerWithoutOrder_ComesFirstAsInKubernetes()
    {
        // Without $setElementOrder, Kubernetes puts patch elements the live list lacks ahead of it.
        Patches(
            """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"containers":[{"name":"c"}]}}""",
            """{"spec":{"containers":[{"name":"c"},{"name":"a"},{"name":"b"}]}}""");
    }

    [Fact]
    public void Apply_NestedMergeLists_MergeByTheirKeys()
    {
        Patches(
            TwoContainers,
            """{"spec":{"containers":[{"name":"a","ports":[{"containerPort":81,"name":"metrics"}],"env":[{"name":"X","value":"2"},{"name":"Y","value":"3"}]}]}}""",
            """
            {"spec":{"containers":[
              {"name":"a","image":"a:1","ports":[{"containerPort":80},{"containerPort":81,"name":"metrics"}],"env":[{"name":"X","value":"2"},{"name":"Y","value":"3"}]},
              {"name":"b","image":"b:1"}]}}
            """);
    }

    [Fact]
    public void Apply_DeleteDirectiveOnListItem_RemovesThatItem()
    {
        Patches(
            TwoContainers,
            """{"spec":{"containers":[{"name":"a","ports":[{"$patch":"delete","containerPort":80}]},{"$patch":"delete","name":"b"}]}}""",
            """{"spec":{"containers":[{"name":"a","image":"a:1","ports":[{"containerPort":81}],"env":[{"name":"X","value":"1"}]}]}}""");
    }

    [Fact]
    public void Apply_ReplaceDirectiveInList_ReplacesTheList()
    {
        Patches(
            TwoContainers,
            """{"spec":{"containers":[{"name":"z","image":"z:1"},{"$patch":"replace"}]}}""",
            """{"spec":{"containers":[{"name":"z","image":"z:1"}]}}""");
    }

    [Fact]
    public void Apply_ReplaceDirectiveOnMap_ReplacesTheMap()
    {
        Patches(
            """{"metadata":{"labels":{"a":"1","b":"2"}}}""",
            """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""",
            """{"metadata":{"labels":{"c":"3"}}}""");
    }

    [Fact]
    public void Apply_DeleteDirectiveOnMap_EmptiesTheMap()
    {
        Patches(
            """{"metadata":{"labels":{"a":"1"},"name":"x"}}""",
            """{"metadata":{"labels":{"$patch":"delete"}}}""",
            """{"metadata":{"labels":{},"name":"x"}}""");
    }

    [Fact]
    public void Apply_MergeDirective_MergesAsWithout()
    {
        Patches(
            """{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"a","image":"a:1"}]}}""",
            """{"metadata":{"labels":{"$patch":"merge","b":"2"}},"spec":{"containers":[{"$patch":"merge","name":"a","image":"a:2"}]}}""",
            """{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"a","image":"a:2"}]}}""");
    }

    [Fact]
    public void Apply_RetainKeys_ClearsFieldsNotRetained()
    {
        // kubectl apply switching a volume from emptyDir to hostPath (volumes are "merge,retainKeys").
        Patches(
            """{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"other","emptyDir":{}}]}}""",
            """{"spec":{"volumes":[{"$retainKeys":["hostPath","name"],"name":"data","hostPath":{"path":"/srv"}}]}}""",
            """{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/srv"}},{"name":"other","emptyDir":{}}]}}""");
    }

    [Fact]
    public void Apply_SetElementOrder_ReordersWithoutContentChange()
    {
        Patches(
            """{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b"},{"name":"c"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"containers":[{"name":"c"},{"name":"a","image":"a:1"},{"name":"b"}]}}""");
    }

    [Fact]
    public void Apply_SetElementOrderWithNewElement_PlacesItWhereTheOrderSays()
    {
        Patches(
            """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"n"},{"name":"b"}],"containers":[{"name":"n","image":"n:1"}]}}""",
            """{"spec":{"containers":[{"name":"a"},{"name":"n","image":"n:1"},{"name":"b"}]}}""");
    }

    [Fact]
    public void Apply_SetElementOrderOnPrimitives_Reorders()
    {
        Patches(
            """{"metadata":{"finalizers":["a","b","c"]}}""",
            """{"metadata":{"$setElementOrder/finalizers":["c","b","a"]}}""",
            """{"metadata":{"finalizers":["c","b","a"]}}""");
    }

    [Fact]
    public void Apply_PrimitiveMergeList_IsAUnion()
    {
        Patches(
            """{"metadata":{"finalizers":["a","b"]}}""",
            """{"metadata":{"finalizers":["b","c"]}}""",
            """{"metadata":{"finalizers":["a","b","c"]}}""");
    }

    [Fact]
    public void Apply_DeleteFromPrimitiveList_RemovesTheValues()
    {
        Patches(
            """{"metadata":{"finalizers":["a","b","c"]},"spec":{"podCIDRs":["198.18.0.0/24","fd00::/64"]}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b","x"]},"spec":{"$deleteFromPrimitiveList/podCIDRs":["fd00::/64"]}}""",
            """{"metadata":{"finalizers":["a","c"]},"spec":{"podCIDRs":["198.18.0.0/24"]}}""",
            "Node");
    }

    [Fact]
    public void Apply_ListWithoutMergeKey_IsReplaced()
    {
        Patches(
            """{"spec":{"tolerations":[{"key":"a","operator":"Exists"}],"containers":[{"name":"c","args":["x","y"]}]}}""",
            """{"spec":{"tolerations":[{"key":"b","operator":"Exists"}],"containers":[{"name":"c","args":["z"]}]}}""",
            """{"spec":{"tolerations":[{"key":"b","operator":"Exists"}],"containers":[{"name":"c","args":["z"]}]}}""");
    }

    [Fact]
    public void Apply_OwnerReferences_MergeByUid()
    {
        Patches(
            """{"metadata":{"ownerReferences":[{"uid":"1","kind":"ReplicationController","name":"a"},{"uid":"2","kind":"ReplicationController","name":"b"}]}}""",
            """{"metadata":{"ownerReferences":[{"uid":"2","controller":true}]}}""",
            """{"metadata":{"ownerReferences":[{"uid":"1","kind":"ReplicationController","name":"a"},{"uid":"2","kind":"ReplicationController","name":"b","controller":true}]}}""");
    }

    [Fact]
    public void Apply_PodStatusConditions_MergeByType()
    {
        Patches(
            """{"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}]}}""",
            """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""",
            """{"status":{"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}]}}""");
    }

    [Fact]
    public void Apply_NodeStatus_ConditionsAndAddressesMergeByType()
    {
        // What a kubelet's node status update looks like.
        Patches(
            """
            {"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"False","reason":"Starting"}],
                       "addresses":[{"type":"InternalIP","address":"198.18.0.5"},{"type":"Hostname","address":"n1"}]}}
            """,
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],"addresses":[{"type":"InternalIP","address":"198.18.0.6"}]}}""",
            """
            {"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True","reason":"KubeletReady"}],
                       "addresses":[{"type":"InternalIP","address":"198.18.0.6"},{"type":"Hostname","address":"n1"}]}}
            """,
            "Node");
    }

    [Fact]
    public void Apply_ServicePorts_MergeByPort()
    {
        Patches(
            """{"spec":{"type":"ClusterIP","ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]}}""",
            """{"spec":{"type":"NodePort","ports":[{"port":443,"nodePort":30443}]}}""",
            """{"spec":{"type":"NodePort","ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443,"nodePort":30443}]}}""",
            "Service");
    }

    [Fact]
    public void Apply_EndpointsSubsets_AreReplaced()
    {
        Patches(
            """{"subsets":[{"addresses":[{"ip":"198.19.100.1"}],"ports":[{"port":80}]}]}""",
            """{"subsets":[{"addresses":[{"ip":"198.19.100.2"}],"ports":[{"port":80}]}]}""",
            """{"subsets":[{"addresses":[{"ip":"198.19.100.2"}],"ports":[{"port":80}]}]}""",
            "Endpoints");
    }

    [Fact]
    public void Apply_ReplicationControllerTemplate_MergesLikeAPod()
    {
        Patches(
            """{"spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"w","image":"w:1","env":[{"name":"A","value":"1"}]}]}}}}""",
            """{"spec":{"template":{"spec":{"containers":[{"name":"w","env":[{"name":"B","value":"2"}]}]}}}}""",
            """{"spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"w","image":"w:1","env":[{"name":"B","value":"2"},{"name":"A","value":"1"}]}]}}}}""",
            "ReplicationController");
    }

    [Fact]
    public void Apply_KindWithoutMergeKeys_ReplacesPodLikeLists()
    {
        // A Scale (or an unknown kind) has no containers: its lists are replaced.
        Patches(
            """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"containers":[{"name":"b","image":"b:2"}]}}""",
            """{"spec":{"containers":[{"name":"b","image":"b:2"}]}}""",
            "Scale");
    }

    private static void Patches(string original, string patch, string expected, string kind = "Pod") =>
        Equal(expected, Apply(original, patch, PatchType.StrategicMerge, kind));
}
