package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lease helpers for tests against the mock API server.
 *
 * <p>At start JOSDK asks the API server (SelfSubjectRulesReview) whether it may get, create and
 * update the lease; a real one answers from RBAC. The mock is told to answer with the rules of
 * deploy/leader-election-role.yaml, so a Role missing a verb fails the tests that use this.
 * Lease requests are also checked against the same Role afterwards.
 */
public final class Leases {
    public static final String NAMESPACE = "wasmorch-system";
    public static final String NAME = "wasmorch-operator";

    private static final Map<String, String> VERBS =
            Map.of("GET", "get", "POST", "create", "PUT", "update", "PATCH", "patch", "DELETE", "delete");

    private Leases() {}

    /**
     * Every Lease request the mock received so far (drained from its log) is one the deployed Role
     * allows: the verb of its HTTP method, on a rule without resourceNames or naming the lease. The
     * mock enforces no RBAC, so this is what shows that the Role covers what the operator does.
     */
    public static void assertLeaseRequestsAllowed(KubernetesMockServer server)
            throws IOException, InterruptedException {
        Role role = deployedRole();
        int checked = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            String path = request.getPath().replaceFirst("\\?.*", "");
            int leases = path.indexOf("/leases");
            if (!path.startsWith("/apis/coordination.k8s.io/") || leases < 0) {
                continue;
            }
            assertThat(path)
                    .as("lease request outside the Role's namespace")
                    .contains("/namespaces/" + NAMESPACE + "/");
            String name =
                    path.length() > leases + "/leases/".length() ? path.substring(leases + "/leases/".length()) : null;
            String verb = VERBS.get(request.getMethod());
            assertThat(role.getRules())
                    .as(
                            "%s %s (verb %s) is not allowed by deploy/leader-election-role.yaml",
                            request.getMethod(), path, verb)
                    .anySatisfy(rule -> {
                        assertThat(rule.getApiGroups()).contains("coordination.k8s.io");
                        assertThat(rule.getResources()).contains("leases");
                        assertThat(rule.getVerbs()).contains(verb);
                        if (!rule.getResourceNames().isEmpty()) {
                            assertThat(rule.getResourceNames()).contains(name);
                        }
                    });
            checked++;
        }
        assertThat(checked).as("lease requests seen").isPositive();
    }

    /**
     * Makes {@code holder} the lease's holder for a minute, as another replica that took it over
     * would; retried when the current holder's renewal came in between.
     */
    public static void takeOver(KubernetesClient client, String holder) {
        for (int attempt = 1; ; attempt++) {
            Lease lease = client.leases().inNamespace(NAMESPACE).withName(NAME).get();
            lease.getSpec().setHolderIdentity(holder);
            lease.getSpec().setLeaseDurationSeconds(60);
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            try {
                client.resource(lease).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static Role deployedRole() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("deploy/leader-election-role.yaml"))) {
            return new KubernetesSerialization()
                    .<java.util.List<?>>unmarshal(in).stream()
                            .filter(Role.class::isInstance)
                            .map(Role.class::cast)
                            .findFirst()
                            .orElseThrow();
        }
    }

    public static void grantDeployedRole(KubernetesMockServer server) throws IOException {
        Role role = deployedRole();
        assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
                .withNewSpec()
                .withNamespace(NAMESPACE)
                .endSpec()
                .withNewStatus()
                .withIncomplete(false)
                .withResourceRules(role.getRules().stream()
                        .map(rule -> new ResourceRuleBuilder()
                                .withApiGroups(rule.getApiGroups())
                                .withResources(rule.getResources())
                                .withResourceNames(rule.getResourceNames())
                                .withVerbs(rule.getVerbs())
                                .build())
                        .toList())
                .endStatus()
                .build();
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, review)
                .always();
    }
}
