package dev.wasmorch.pipeline.responses;

import dev.wasmorch.pipeline.model.Runtime;
import java.nio.file.Path;

/**
 * A response-time file and the group its rows belong to.
 *
 * @param path     the file
 * @param scenario scenario label
 * @param function function name
 * @param runtime  wasm or container
 */
public record LabelledFile(Path path, String scenario, String function, Runtime runtime) {}
