package dev.wasmorch.experiment.local;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Service;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Assembles the local backend from a checkout: its node, the function images, the backing services. */
public final class LocalBackends {

    /** The CRI runtime handlers (and the pods' runtime classes): the shim for WASM, runc for containers. */
    public static final Map<Runtime, String> HANDLERS = Map.of(Runtime.WASM, "wasmorch", Runtime.CONTAINER, "runc");

    private LocalBackends() {}

    /**
     * @param root the checkout (functions/, shim/target/)
     * @param work where the node lives, or {@code null} for a new temp dir
     */
    public static Backend create(Path root, Path work, Path images, Catalog catalog) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Service s : catalog.services().values()) {
            env.put(s.name(), s.env());
        }
        Path dir = work != null ? work : java.nio.file.Files.createTempDirectory(Path.of("/tmp"), "wasmorch-lab");
        return new LocalBackend(
                new PrivateNode(root.resolve("shim").resolve("target"), dir),
                new FunctionImages(images, root.resolve("functions").resolve("build.sh")),
                new BackingServices(root.resolve("functions").resolve("baas"), dir.resolve("baas")),
                env);
    }
}
