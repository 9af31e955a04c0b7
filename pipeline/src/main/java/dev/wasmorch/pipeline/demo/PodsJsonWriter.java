package dev.wasmorch.pipeline.demo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Streams the pods, one at a time, as {@code kubectl get pods -A -o json} prints them (a v1
 * {@code List} of Pods, 4-space indent), so a 60 000-pod snapshot needs no memory to speak of.
 */
final class PodsJsonWriter implements Closeable {

    private final JsonGenerator json;
    private final String scenario;
    private long resourceVersion = 81_200;

    PodsJsonWriter(Path file, String scenario) throws IOException {
        this.scenario = scenario;
        this.json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8);
        DefaultIndenter indent = new DefaultIndenter("    ", "\n");
        json.setPrettyPrinter(new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indent)
                .withArrayIndenter(indent));
        json.writeStartObject();
        json.writeStringField("apiVersion", "v1");
        json.writeArrayFieldStart("items");
    }

    void write(PlannedPod pod, String nodeName, String hostIp) throws IOException {
        PodLifecycle t = pod.truth();
        boolean wasm = t.runtime() == Runtime.WASM;
        json.writeStartObject();
        json.writeStringField("apiVersion", "v1");
        json.writeStringField("kind", "Pod");

        json.writeObjectFieldStart("metadata");
        json.writeObjectFieldStart("annotations");
        if (wasm) {
            json.writeStringField(PodLabels.RUNTIME, PodLabels.WASM);
        } else {
            json.writeStringField("prometheus.io.scrape", "false");
        }
        json.writeEndObject();
        json.writeStringField("creationTimestamp", seconds(t.created()));
        if (t.deleted() != null) {
            json.writeStringField("deletionTimestamp", seconds(t.deleted()));
            json.writeNumberField("deletionGracePeriodSeconds", 30);
        }
        json.writeStringField("generateName", pod.replicaSet() + "-");
        json.writeObjectFieldStart("labels");
        json.writeStringField("app", pod.deployment());
        if (wasm) {
            json.writeStringField(PodLabels.FUNCTION, pod.function().label());
        } else {
            json.writeStringField("faas_function", pod.function().label());
        }
        json.writeStringField(
                "pod-template-hash", pod.replicaSet().substring(pod.replicaSet().lastIndexOf('-') + 1));
        json.writeStringField(PodLabels.SCENARIO, scenario);
        json.writeEndObject();
        json.writeStringField("name", t.pod());
        json.writeStringField("namespace", t.namespace());
        json.writeArrayFieldStart("ownerReferences");
        json.writeStartObject();
        json.writeStringField("apiVersion", "apps/v1");
        json.writeBooleanField("blockOwnerDeletion", true);
        json.writeBooleanField("controller", true);
        json.writeStringField("kind", "ReplicaSet");
        json.writeStringField("name", pod.replicaSet());
        json.writeStringField("uid", pod.replicaSetUid());
        json.writeEndObject();
        json.writeEndArray();
        json.writeStringField("resourceVersion", Long.toString(resourceVersion++));
        json.writeStringField("uid", t.uid());
        json.writeEndObject();

        json.writeObjectFieldStart("spec");
        json.writeArrayFieldStart("containers");
        json.writeStartObject();
        json.writeStringField("image", pod.image());
        json.writeStringField("imagePullPolicy", "IfNotPresent");
        json.writeStringField("name", pod.function().label());
        json.writeArrayFieldStart("ports");
        json.writeStartObject();
        json.writeNumberField("containerPort", wasm ? 80 : 8080);
        json.writeStringField("name", "http");
        json.writeStringField("protocol", "TCP");
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        json.writeStringField("nodeName", nodeName);
        json.writeStringField("restartPolicy", "Always");
        if (wasm) {
            json.writeStringField("runtimeClassName", t.runtimeClass());
        }
        json.writeStringField("schedulerName", "default-scheduler");
        json.writeEndObject();

        json.writeObjectFieldStart("status");
        json.writeStringField("hostIP", hostIp);
        json.writeStringField("phase", t.complete() ? "Running" : "Pending");
        json.writeStringField("podIP", "10.42." + (pod.agent() + 1) + "." + (2 + pod.podIndex() % 250));
        json.writeStringField("qosClass", "BestEffort");
        json.writeStringField("startTime", seconds(t.seen()));
        json.writeEndObject();
        json.writeEndObject();
    }

    private static String seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() throws IOException {
        try {
            json.writeEndArray();
            json.writeStringField("kind", "List");
            json.writeObjectFieldStart("metadata");
            json.writeStringField("resourceVersion", "");
            json.writeEndObject();
            json.writeEndObject();
        } finally {
            json.close();
        }
    }
}
