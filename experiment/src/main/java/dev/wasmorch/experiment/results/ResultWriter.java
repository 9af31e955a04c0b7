package dev.wasmorch.experiment.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.experiment.model.Failure;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRecord;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's results in {@link Layout}. Rows are appended as they are measured, so an interrupted
 * run keeps every row it measured; the JSON files are rewritten whole (through a temporary file, so
 * a reader never sees half of one). One writer per run; its methods are synchronized because the
 * Ctrl-C hook finishes the run from its own thread.
 */
public final class ResultWriter {

    static final String INSTANTIATION_HEADER = "pod_name,test_name,init_time";
    static final String SIZES_HEADER = "function,runtime,image,bytes";
    static final String FAILURES_HEADER = "scenario,function,runtime,repetition,pod,step,error,at";

    private final Layout layout;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ResultWriter(Layout layout) throws IOException {
        this.layout = layout;
        Files.createDirectories(layout.lifecycleDir());
    }

    public Layout layout() {
        return layout;
    }

    /** Appends the rows of one hey run (serial or concurrent). */
    public synchronized void responses(Scenario scenario, String function, Runtime runtime, HeyCsv.Output out)
            throws IOException {
        appendHey(layout.responses(scenario, function, runtime), out);
    }

    /** Appends the row(s) of one first invocation (one hey request after a redeploy). */
    public synchronized void firstInvocation(String function, Runtime runtime, HeyCsv.Output out) throws IOException {
        appendHey(layout.firstInvocation(function, runtime), out);
    }

    /** Appends a ready pod's study instantiation time: created → started, seconds with 6 decimals. */
    public synchronized void instantiation(PodRecord pod) throws IOException {
        Double seconds = pod.timings().createdToStartedSeconds();
        if (seconds == null) {
            throw new IllegalArgumentException("pod " + pod.pod().name() + " has no created → started interval");
        }
        append(
                layout.instantiation(pod.spec().runtime()),
                INSTANTIATION_HEADER,
                Csv.row(List.of(
                        pod.pod().name(), pod.spec().function().name(), String.format(Locale.ROOT, "%.6f", seconds))));
    }

    public synchronized void imageSize(ImageSize size) throws IOException {
        append(
                layout.imageSizes(),
                SIZES_HEADER,
                Csv.row(List.of(size.function(), size.runtime().label(), size.image(), Long.toString(size.bytes()))));
    }

    public synchronized void failure(Failure f) throws IOException {
        append(
                layout.failures(),
                FAILURES_HEADER,
                Csv.row(List.of(
                        f.scenario(),
                        f.function(),
                        f.runtime() == null ? "" : f.runtime().label(),
                        Integer.toString(f.repetition()),
                        f.pod(),
                        f.step(),
                        f.error(),
                        Instant.EPOCH.plusNanos(f.at() * 1000).toString())));
    }

    /**
     * Writes pods.json: every pod of the run as a Pod of a List, with the labels and the annotation
     * the analyzer classifies by (function, scenario, runtime) and the runtime class.
     *
     * @param runtimeClasses the runtime class (CRI handler) of each runtime
     */
    public synchronized void pods(List<PodRecord> pods, Map<Runtime, String> runtimeClasses) throws IOException {
        ObjectNode list = json.createObjectNode().put("apiVersion", "v1").put("kind", "List");
        ArrayNode items = list.putArray("items");
        for (PodRecord p : pods) {
            ObjectNode pod = items.addObject().put("apiVersion", "v1").put("kind", "Pod");
            ObjectNode meta = pod.putObject("metadata")
                    .put("name", p.pod().name())
                    .put("namespace", p.pod().namespace())
                    .put("uid", p.pod().uid());
            meta.putObject("labels")
                    .put(PodLabels.FUNCTION, p.spec().function().name())
                    .put(PodLabels.SCENARIO, p.spec().scenario());
            meta.putObject("annotations")
                    .put(PodLabels.RUNTIME, p.spec().runtime().label());
            pod.putObject("spec")
                    .put("runtimeClassName", runtimeClasses.get(p.spec().runtime()));
        }
        writeJson(layout.pods(), list);
    }

    /** Writes run.json (see {@link RunMetadata}). */
    public synchronized void metadata(RunMetadata metadata) throws IOException {
        writeJson(layout.metadata(), json.valueToTree(metadata));
    }

    private void appendHey(Path file, HeyCsv.Output out) throws IOException {
        StringBuilder rows = new StringBuilder();
        for (String row : out.rows()) {
            rows.append(row).append('\n');
        }
        append(file, HeyCsv.HEADER, rows.toString());
    }

    private static void append(Path file, String header, String rows) throws IOException {
        Files.createDirectories(file.getParent());
        String text = Files.exists(file) ? rows : header + "\n" + rows;
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void writeJson(Path file, Object tree) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), tree);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
