package dev.wasmorch.pipeline.responses;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a folder laid out like the 2023 study's published raw data (shared/paper-data/README.md):
 *
 * <pre>
 * 01-serial-execution/{wasm,openfaas}/FUNCTION-serial.csv                 scenario serial
 * 02-function-deployment/{wasm,openfaas}/FUNCTION-function-deployment.csv scenario first-invocation
 * 03-concurrent-execution/{wasm,openfaas}/FUNCTION-concurrent-execution.csv scenario concurrent
 * 04-instantiation-time/{wasm,openfaas}-instantiation-time.csv            scenario instantiation
 * </pre>
 *
 * The first three are hey CSVs ({@link HeyCsvReader}, metric {@code response_time}), the last the
 * per-pod instantiation times ({@link InstantiationCsvReader}, metric {@code created_to_started});
 * {@code openfaas} is the container runtime.
 */
public final class PaperData {

    private record Part(String folder, String scenario, String suffix) {}

    private static final List<Part> RESPONSE_PARTS = List.of(
            new Part("01-serial-execution", "serial", "serial"),
            new Part("02-function-deployment", "first-invocation", "function-deployment"),
            new Part("03-concurrent-execution", "concurrent", "concurrent-execution"));

    static final String INSTANTIATION_FOLDER = "04-instantiation-time";

    private PaperData() {}

    /**
     * Reads every file of the layout.
     *
     * @throws IllegalArgumentException naming the missing path when a folder or an instantiation
     *     file of the layout is absent
     */
    public static ResponseData load(Path dir) {
        List<ResponseData> parts = new ArrayList<>();
        for (Part part : RESPONSE_PARTS) {
            requireExists(dir.resolve(part.folder()));
            PathTemplate template =
                    PathTemplate.parse(part.folder() + "/{runtime}/{function}-" + part.suffix() + ".csv");
            PathTemplate.Expansion found = template.expand(dir, part.scenario());
            parts.add(new ResponseData(List.of(), List.of(), found.rejects()));
            parts.add(HeyCsvReader.readAll(found.files()));
        }
        for (String label : List.of("wasm", "openfaas")) {
            Path file = dir.resolve(INSTANTIATION_FOLDER).resolve(label + "-instantiation-time.csv");
            requireExists(file);
            parts.add(InstantiationCsvReader.read(file, "instantiation", PathTemplate.runtimeOf(label)));
        }
        return ResponseData.concat(parts);
    }

    private static void requireExists(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(
                    "not the study's data layout: " + path + " is missing (see shared/paper-data/README.md)");
        }
    }
}
