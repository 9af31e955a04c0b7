package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.job.AnalysisInputs;
import dev.wasmorch.pipeline.metadata.KubePodLister;
import dev.wasmorch.pipeline.metadata.PodSnapshotReader;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.responses.HeyCsvReader;
import dev.wasmorch.pipeline.responses.InstantiationCsvReader;
import dev.wasmorch.pipeline.responses.PaperData;
import dev.wasmorch.pipeline.responses.PathTemplate;
import dev.wasmorch.pipeline.responses.ResponseData;
import dev.wasmorch.pipeline.source.InputException;
import dev.wasmorch.pipeline.source.LogInputs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Gathers everything an analysis reads before the job starts, so that a missing file or an
 * unreachable API is reported (exit code 2) before any work is done.
 */
final class InputLoader {

    private final PrintStream progress;

    InputLoader(PrintStream progress) {
        this.progress = progress;
    }

    AnalysisInputs load(
            List<String> logs,
            Path podsFile,
            boolean kube,
            String namespace,
            String selector,
            List<String> responseTemplates,
            List<Path> instantiationCsvs,
            Path paperData)
            throws InputException {
        List<Path> logFiles = logs.isEmpty() ? List.of() : LogInputs.resolve(logs);
        List<PodMetadata> pods = List.of();
        if (podsFile != null) {
            // Checked whole before the job starts (exit 2 on a bad item); the job streams it again.
            progress.printf("wasmorch: %d pods in %s%n", PodSnapshotReader.validate(podsFile), podsFile);
        } else if (kube) {
            pods = fromApi(namespace, selector);
        }
        List<ResponseData> parts = new ArrayList<>();
        for (String template : responseTemplates) {
            parts.add(responses(template));
        }
        for (Path csv : instantiationCsvs) {
            parts.add(InstantiationCsvReader.read(
                    requireFile(csv, "--instantiation-csv"), "instantiation", runtimeFromName(csv)));
        }
        if (paperData != null) {
            if (!Files.isDirectory(paperData)) {
                throw new InputException("--paper-data " + paperData + " is not a directory");
            }
            try {
                parts.add(PaperData.load(paperData));
            } catch (IllegalArgumentException e) {
                throw new InputException("--paper-data " + paperData + ": " + e.getMessage());
            }
        }
        ResponseData csv = ResponseData.concat(parts);
        AnalysisInputs inputs = new AnalysisInputs(
                logFiles, pods, podsFile, podsFile != null || kube, csv.samples(), csv.counts(), csv.rejects());
        if (inputs.isEmpty()) {
            throw new InputException(
                    "nothing to analyze: give --logs, --paper-data, --responses or --instantiation-csv (with data in them)");
        }
        return inputs;
    }

    private List<PodMetadata> fromApi(String namespace, String selector) throws InputException {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            List<PodMetadata> pods = new KubePodLister(client).list(namespace, selector);
            progress.printf(
                    "wasmorch: %d pods from the Kubernetes API at %s%n",
                    pods.size(), client.getConfiguration().getMasterUrl());
            return pods;
        } catch (KubernetesClientException e) {
            throw new InputException("cannot list pods from the Kubernetes API: " + e.getMessage());
        }
    }

    private ResponseData responses(String template) throws InputException {
        try {
            PathTemplate.Expansion found = PathTemplate.parse(template).expand(Path.of(""), "serial");
            if (found.files().isEmpty() && found.rejects().isEmpty()) {
                throw new InputException("--responses '" + template + "' matches no file");
            }
            progress.printf(
                    "wasmorch: %d hey result file(s) match '%s'%n",
                    found.files().size(), template);
            return ResponseData.concat(List.of(
                    new ResponseData(List.of(), List.of(), found.rejects()), HeyCsvReader.readAll(found.files())));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    private static Path requireFile(Path file, String option) throws InputException {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new InputException(option + " " + file + " does not exist or is not a readable file");
        }
        return file;
    }

    /** The study's files are named wasm-... and openfaas-...; say so rather than guess. */
    static Runtime runtimeFromName(Path csv) throws InputException {
        String name = csv.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String label : List.of("wasm", "openfaas", "container")) {
            if (name.startsWith(label)) {
                return PathTemplate.runtimeOf(label);
            }
        }
        throw new InputException("--instantiation-csv " + csv
                + ": cannot tell the runtime from the file name (start it with wasm-, openfaas- or container-)");
    }
}
