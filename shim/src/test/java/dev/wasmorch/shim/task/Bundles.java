package dev.wasmorch.shim.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes OCI bundles (config.json + rootfs dir) for the task tests. */
final class Bundles {

    private Bundles() {}

    static final String POD_ANNOTATIONS = """
            "io.kubernetes.cri.sandbox-namespace": "default", "io.kubernetes.cri.sandbox-name": "hello-abc",
            "io.kubernetes.cri.sandbox-uid": "6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10\"""";

    /** A bundle; {@code annotations} and {@code namespaces} are JSON members/elements (may be empty). */
    static Path write(Path parent, String id, String annotations, String namespaces) throws IOException {
        Path bundle = Files.createDirectories(parent.resolve(id));
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), """
                {"ociVersion": "1.0.2", "root": {"path": "rootfs"},
                 "process": {"args": ["/"], "env": ["PATH=/usr/bin", "GREETING=hi=there"]},
                 "annotations": {%s},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}%s]}}
                """.formatted(
                        annotations, namespaces.isEmpty() ? "" : ", " + namespaces));
        return bundle;
    }

    /**
     * A hostNetwork pod's sandbox (no network namespace of its own). A pod-network sandbox's
     * namespace must exist and be entered (CriPodNetworkTest, PodNetworkAppTest).
     */
    static Path sandbox(Path parent, String id) throws IOException {
        return write(parent, id, "\"io.kubernetes.cri.container-type\": \"sandbox\", " + POD_ANNOTATIONS, "");
    }

    static Path app(Path parent, String id) throws IOException {
        return write(
                parent,
                id,
                "\"io.kubernetes.cri.container-type\": \"container\", "
                        + "\"io.kubernetes.cri.container-name\": \"hello\", " + POD_ANNOTATIONS,
                "");
    }
}
