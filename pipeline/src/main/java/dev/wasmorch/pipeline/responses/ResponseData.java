package dev.wasmorch.pipeline.responses;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What was read from response-time or instantiation files: the samples, the responses that were
 * not 2xx (kept apart, not measured), and the rows that could not be used.
 *
 * @param samples samples in file order
 * @param non2xx  non-2xx responses per file and status code
 * @param rejects unusable rows (and unreadable files, with line 0)
 */
public record ResponseData(List<Sample> samples, List<StatusCount> non2xx, List<Reject> rejects) {

    /** Read-only views; a {@code ResponseData} never changes after it is built. */
    public ResponseData {
        samples = List.copyOf(samples);
        non2xx = List.copyOf(non2xx);
        rejects = List.copyOf(rejects);
    }

    /**
     * Responses with a status outside 200-299 in one file.
     *
     * @param file   the file
     * @param status the HTTP status code (hey writes 0 for requests that got no response)
     * @param count  how many
     */
    public record StatusCount(String file, int status, long count) {}

    /** Concatenates results in order. */
    public static ResponseData concat(List<ResponseData> parts) {
        List<Sample> samples = new ArrayList<>();
        List<StatusCount> non2xx = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        for (ResponseData part : parts) {
            samples.addAll(part.samples);
            non2xx.addAll(part.non2xx);
            rejects.addAll(part.rejects);
        }
        return new ResponseData(samples, non2xx, rejects);
    }

    /**
     * The job counters: {@code responses_samples}, {@code responses_non2xx} and one
     * {@code rejected:REASON} per reject reason (sorted by name; zero counts left out).
     */
    public List<Count> counts() {
        Map<String, Long> byName = new TreeMap<>();
        byName.merge("responses_samples", (long) samples.size(), Long::sum);
        byName.merge(
                "responses_non2xx",
                non2xx.stream().mapToLong(StatusCount::count).sum(),
                Long::sum);
        rejects.forEach(r -> byName.merge("rejected:" + r.reason(), 1L, Long::sum));
        return byName.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> new Count(e.getKey(), e.getValue()))
                .toList();
    }
}
