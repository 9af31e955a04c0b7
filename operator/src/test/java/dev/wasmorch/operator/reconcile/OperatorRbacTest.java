package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.reconcile.OperatorRbac.Access;
import org.junit.jupiter.api.Test;

/** REST calls in RBAC terms, as the API server resolves them. */
class OperatorRbacTest {

  @Test
  void mapsPathsAndMethodsToGroupResourceAndVerb() {
    assertThat(OperatorRbac.access("PUT", "/apis/wasmorch.dev/v1alpha1/namespaces/fn/wasmapps/hello/status"))
        .isEqualTo(new Access("wasmorch.dev", "wasmapps/status", "update"));
    assertThat(OperatorRbac.access("GET", "/api/v1/namespaces/fn/pods?labelSelector=a%3Db&watch=true"))
        .isEqualTo(new Access("", "pods", "watch"));
    assertThat(OperatorRbac.access("GET", "/apis/node.k8s.io/v1/runtimeclasses?resourceVersion=0"))
        .isEqualTo(new Access("node.k8s.io", "runtimeclasses", "list"));
    assertThat(OperatorRbac.access("GET", "/apis/wasmorch.dev/v1alpha1/namespaces/fn/wasmapps/hello"))
        .isEqualTo(new Access("wasmorch.dev", "wasmapps", "get"));
    assertThat(OperatorRbac.access("POST", "/api/v1/namespaces/fn/events"))
        .isEqualTo(new Access("", "events", "create"));
    assertThat(OperatorRbac.access("DELETE", "/apis/discovery.k8s.io/v1/namespaces/fn/endpointslices/hello-x"))
        .isEqualTo(new Access("discovery.k8s.io", "endpointslices", "delete"));
    assertThat(OperatorRbac.access("DELETE", "/apis/discovery.k8s.io/v1/namespaces/fn/endpointslices"))
        .isEqualTo(new Access("discovery.k8s.io", "endpointslices", "deletecollection"));
    assertThat(OperatorRbac.access("GET", "/api/v1/namespaces")).isEqualTo(new Access("", "namespaces", "list"));
  }
}
