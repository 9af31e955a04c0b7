package dev.wasmorch.operator.reconcile.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether an object on the server still holds everything the operator wrote. The server adds
 * defaults (strategy, clusterIP, terminationGracePeriodSeconds...), so "actual contains desired"
 * rather than equality: an object counts as drifted only when a value the operator set was changed
 * or removed.
 */
final class SubsetMatcher {
    private SubsetMatcher() {}

    static boolean contains(JsonNode actual, JsonNode desired) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (actual == null || actual.isNull()) {
            return false;
        }
        if (desired.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!contains(actual.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            // Lists are owned whole (containers, ports, tolerations): same length, element-wise subset.
            if (!actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(actual.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isNumber() && actual.isNumber()) {
            return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return desired.asText().equals(actual.asText()) && desired.getNodeType() == actual.getNodeType();
    }
}
