package dev.wasmorch.experiment.local;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.Runtime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 18 function images of functions/build.sh: {@code DIR/NAME/wasm.tar} (for the shim) and
 * {@code DIR/NAME/native.tar} (for runc), named {@code docker.io/wasmorch/NAME:wasm} and
 * {@code :native} inside (functions/README.md). Built with build.sh when one is missing.
 */
final class FunctionImages {

    private static final String REPOSITORY = "docker.io/wasmorch/";

    private final Path dir;
    private final Path buildScript;

    FunctionImages(Path dir, Path buildScript) {
        this.dir = dir;
        this.buildScript = buildScript;
    }

    static String reference(String function, Runtime runtime) {
        return REPOSITORY + function + ":" + tag(runtime);
    }

    Path archive(String function, Runtime runtime) {
        return dir.resolve(function).resolve(tag(runtime) + ".tar");
    }

    /** Builds the images when any of these functions' archives is missing (build.sh builds them all). */
    void ensure(List<FunctionSpec> functions, Backend.Progress progress) throws BackendException {
        boolean missing = functions.stream()
                .anyMatch(f -> !Files.isRegularFile(archive(f.name(), Runtime.WASM))
                        || !Files.isRegularFile(archive(f.name(), Runtime.CONTAINER)));
        if (!missing) {
            return;
        }
        progress.line("building the function images: " + buildScript + " " + dir + " (a few minutes)");
        Processes.run(
                List.of(buildScript.toString(), dir.toString()),
                java.time.Duration.ofMinutes(30),
                "functions/build.sh");
    }

    /** The size of both archives: the OCI image layouts as imported (functions/README.md's table). */
    List<ImageSize> sizes(FunctionSpec f) throws BackendException {
        List<ImageSize> sizes = new ArrayList<>();
        for (Runtime r : Runtime.values()) {
            Path archive = archive(f.name(), r);
            try {
                sizes.add(new ImageSize(f.name(), r, reference(f.name(), r), Files.size(archive)));
            } catch (IOException e) {
                throw new BackendException("image archive " + archive + ": " + e.getMessage(), e);
            }
        }
        return sizes;
    }

    private static String tag(Runtime runtime) {
        return runtime == Runtime.WASM ? "wasm" : "native";
    }
}
