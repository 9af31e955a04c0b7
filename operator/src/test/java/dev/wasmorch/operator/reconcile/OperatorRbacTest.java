package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.reconcile.OperatorRbac.Access;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** REST calls in RBAC terms, as the API server resolves them. */
class OperatorRbacTest {

    @ParameterizedTest
    @CsvSource({
        "PUT,    /apis/wasmorch.dev/v1alpha1/namespaces/fn/wasmapps/hello/status,   wasmorch.dev,     wasmapps/status, update",
        "GET,    /api/v1/namespaces/fn/pods?labelSelector=a%3Db&watch=true,         '',               pods,            watch",
        "GET,    /apis/node.k8s.io/v1/runtimeclasses?resourceVersion=0,             node.k8s.io,      runtimeclasses,  list",
        "GET,    /apis/wasmorch.dev/v1alpha1/namespaces/fn/wasmapps/hello,          wasmorch.dev,     wasmapps,        get",
        "POST,   /api/v1/namespaces/fn/events,                                      '',               events,          create",
        "DELETE, /apis/discovery.k8s.io/v1/namespaces/fn/endpointslices/hello-x,    discovery.k8s.io, endpointslices,  delete",
        "DELETE, /apis/discovery.k8s.io/v1/namespaces/fn/endpointslices,            discovery.k8s.io, endpointslices,  deletecollection",
        "GET,    /api/v1/namespaces,                                                '',               namespaces,      list",
    })
    void mapsPathsAndMethodsToGroupResourceAndVerb(
            String method, String path, String group, String resource, String verb) {
        assertThat(OperatorRbac.access(method, path)).isEqualTo(new Access(group, resource, verb));
    }
}
