package dev.wasmorch.pipeline.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The runtimes in drawing order (wasm, container, then any other label) and their colours. */
final class Series {

    private Series() {}

    static List<String> order(Collection<String> runtimes) {
        List<String> out = new ArrayList<>();
        for (String known : List.of("wasm", "container")) {
            if (runtimes.contains(known)) {
                out.add(known);
            }
        }
        runtimes.stream().filter(r -> !out.contains(r)).sorted().forEach(out::add);
        return out;
    }

    static String colour(String runtime) {
        return switch (runtime) {
            case "wasm" -> "#6741d9";
            case "container" -> "#1c7ed6";
            default -> "#868e96";
        };
    }
}
