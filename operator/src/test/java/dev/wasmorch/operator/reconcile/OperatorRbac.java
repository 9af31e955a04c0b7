package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The mock API server enforces no RBAC, so this checks afterwards that every request the operator
 * made (its client's User-Agent, {@link OperatorHarness#OPERATOR_AGENT}) is one the deployed
 * ClusterRole ({@code deploy/cluster-role.yaml}) allows: a verb missing there would be a 403 in a
 * real cluster, one extra there is more than least privilege needs.
 */
final class OperatorRbac {

    private OperatorRbac() {}

    /** What RBAC sees of a request: API group, resource (with subresource), verb. */
    record Access(String group, String resource, String verb) {}

    /** Drains the mock's request log and asserts every operator request is allowed; returns how many were checked. */
    static int assertOperatorRequestsAllowed(KubernetesMockServer server) throws IOException, InterruptedException {
        List<PolicyRule> rules = deployedClusterRole().getRules();
        int checked = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            if (!OperatorHarness.OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            Access access = access(request.getMethod(), request.getPath());
            assertThat(rules)
                    .as(
                            "%s %s needs %s, which deploy/cluster-role.yaml does not grant",
                            request.getMethod(), request.getPath(), access)
                    .anySatisfy(rule -> {
                        assertThat(rule.getApiGroups()).contains(access.group());
                        assertThat(rule.getResources()).contains(access.resource());
                        assertThat(rule.getVerbs()).contains(access.verb());
                    });
            checked++;
        }
        assertThat(checked).as("operator requests seen").isPositive();
        return checked;
    }

    /** Maps a REST call to RBAC terms, as the API server's request-info resolver does. */
    static Access access(String method, String pathAndQuery) {
        String[] pq = pathAndQuery.split("\\?", 2);
        boolean watch = pq.length > 1 && (pq[1].contains("watch=true") || pq[1].contains("watch=1"));
        String[] parts = pq[0].replaceFirst("^/", "").split("/");
        int i;
        String group;
        if (parts[0].equals("api")) {
            group = "";
            i = 2; // api/v1/...
        } else {
            group = parts[1];
            i = 3; // apis/group/version/...
        }
        if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
            i += 2; // namespaces/{ns}/ then the resource
        }
        String resource = parts[i];
        boolean named = i + 1 < parts.length;
        if (i + 2 < parts.length) {
            resource += "/" + parts[i + 2];
        }
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("unexpected method " + method);
        };
        return new Access(group, resource, verb);
    }

    private static ClusterRole deployedClusterRole() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("deploy/cluster-role.yaml"))) {
            return new KubernetesSerialization().unmarshal(in, ClusterRole.class);
        }
    }
}
