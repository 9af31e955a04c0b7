package dev.wasmorch.shim.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import dev.wasmorch.shim.proto.task.UpdateTaskRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An Update's resources: the OCI {@code LinuxResources} containerd sends as JSON in an Any
 * ({@code types.containerd.io/opencontainers/runtime-spec/1/LinuxResources}). A WASM app can honour
 * only the memory limit; everything else that is set is listed so the daemon can say it is not
 * enforced.
 *
 * @param memoryLimit {@code memory.limit} in bytes ({@code null}: not given; 0 or less: none)
 * @param notEnforced the other settings given, as JSON paths ({@code cpu.shares}, {@code pids.limit})
 */
record ResourceUpdate(Long memoryLimit, List<String> notEnforced) {

    static final String LINUX_RESOURCES = "opencontainers/runtime-spec/1/LinuxResources";
    private static final ObjectMapper JSON = new ObjectMapper();

    ResourceUpdate {
        notEnforced = List.copyOf(notEnforced);
    }

    /** @throws IllegalArgumentException for another resource type or malformed JSON, with the reason */
    static ResourceUpdate parse(UpdateTaskRequest update) {
        if (!update.hasResources()) {
            return new ResourceUpdate(null, List.of());
        }
        Any resources = update.getResources();
        if (!resources.getTypeUrl().endsWith(LINUX_RESOURCES)) {
            throw new IllegalArgumentException("resources of type " + resources.getTypeUrl() + " are not supported: "
                    + "the wasmorch shim takes Linux resources (" + LINUX_RESOURCES + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(resources.getValue().toByteArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("LinuxResources: malformed JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("LinuxResources: expected a JSON object");
        }
        Long memoryLimit = null;
        JsonNode limit = root.path("memory").path("limit");
        if (!limit.isMissingNode() && !limit.isNull()) {
            if (!limit.canConvertToLong()) {
                throw new IllegalArgumentException("LinuxResources: memory.limit: expected bytes, got " + limit);
            }
            memoryLimit = limit.asLong();
        }
        List<String> others = new ArrayList<>();
        collect("", root, others);
        others.remove("memory.limit");
        return new ResourceUpdate(memoryLimit, others);
    }

    /** The paths of the set leaves under {@code node} (null, "" and [] count as not set, as Go omits them). */
    private static void collect(String path, JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                collect(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()
                && !(node.isContainerNode() && node.isEmpty())
                && !(node.isTextual() && node.asText().isEmpty())) {
            out.add(path);
        }
    }
}
