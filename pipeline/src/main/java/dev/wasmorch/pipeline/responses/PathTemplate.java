package dev.wasmorch.pipeline.responses;

import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Runtime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code --responses} template that finds response-time files and labels them, for example
 * {@code results/{scenario}/{runtime}/{function}-serial.csv}.
 *
 * <ul>
 *   <li>{@code {runtime}} and {@code {function}} are required, {@code {scenario}} is optional (the
 *       default scenario labels the files otherwise); each placeholder matches one or more
 *       characters within one path segment and may appear once;
 *   <li>{@code *} matches any characters within one path segment;
 *   <li>the runtime value {@code wasm} means WASM, {@code container} and {@code openfaas} (the
 *       2023 study's container platform) mean container, case-insensitively; a file with another
 *       value is rejected ({@code responses_runtime}), not guessed.
 * </ul>
 *
 * Segments before the first placeholder or wildcard name the directory that is searched.
 */
public final class PathTemplate {

    private static final Pattern TOKEN = Pattern.compile("\\{([^}]*)}|\\*");
    private static final Set<String> PLACEHOLDERS = Set.of("scenario", "runtime", "function");

    private final String template;
    private final String root;
    private final Pattern pattern;
    private final int depth;
    private final boolean hasScenario;

    private PathTemplate(String template, String root, Pattern pattern, int depth, boolean hasScenario) {
        this.template = template;
        this.root = root;
        this.pattern = pattern;
        this.depth = depth;
        this.hasScenario = hasScenario;
    }

    /**
     * Parses a template ({@code /} separates directories on every platform).
     *
     * @throws IllegalArgumentException naming the problem when a placeholder is unknown, repeated
     *     or missing
     */
    public static PathTemplate parse(String template) {
        String[] segments = template.split("/", -1);
        int firstVariable = 0;
        while (firstVariable < segments.length
                && !TOKEN.matcher(segments[firstVariable]).find()) {
            firstVariable++;
        }
        if (firstVariable == segments.length) {
            throw new IllegalArgumentException(
                    "--responses template '" + template + "' has no {runtime} or {function} placeholder");
        }
        String root = String.join("/", List.of(segments).subList(0, firstVariable));
        Set<String> seen = new TreeSet<>();
        StringBuilder regex = new StringBuilder();
        for (int i = firstVariable; i < segments.length; i++) {
            if (i > firstVariable) {
                regex.append('/');
            }
            regex.append(segmentRegex(template, segments[i], seen));
        }
        for (String required : List.of("runtime", "function")) {
            if (!seen.contains(required)) {
                throw new IllegalArgumentException(
                        "--responses template '" + template + "' lacks the {" + required + "} placeholder");
            }
        }
        return new PathTemplate(
                template,
                root,
                Pattern.compile(regex.toString()),
                segments.length - firstVariable,
                seen.contains("scenario"));
    }

    private static String segmentRegex(String template, String segment, Set<String> seen) {
        StringBuilder regex = new StringBuilder();
        Matcher m = TOKEN.matcher(segment);
        int literalFrom = 0;
        while (m.find()) {
            if (m.start() > literalFrom) {
                regex.append(Pattern.quote(segment.substring(literalFrom, m.start())));
            }
            if (m.group(1) == null) {
                regex.append("[^/]*");
            } else {
                String name = m.group(1);
                if (!PLACEHOLDERS.contains(name)) {
                    throw new IllegalArgumentException("--responses template '" + template + "': unknown placeholder {"
                            + name + "} (use {scenario}, {runtime}, {function})");
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException(
                            "--responses template '" + template + "' repeats the placeholder {" + name + "}");
                }
                regex.append("(?<").append(name).append(">[^/]+)");
            }
            literalFrom = m.end();
        }
        if (literalFrom < segment.length()) {
            regex.append(Pattern.quote(segment.substring(literalFrom)));
        }
        return regex.toString();
    }

    /**
     * Files matched by the template and what could not be labelled.
     *
     * @param files   labelled files, sorted by path
     * @param rejects matched files with an unknown runtime value (line 0)
     */
    public record Expansion(List<LabelledFile> files, List<Reject> rejects) {}

    /**
     * Finds the files. A relative template is resolved against {@code base}.
     *
     * @param defaultScenario the scenario of every file when the template has no {@code {scenario}}
     * @throws IllegalArgumentException when the template's fixed directory does not exist
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public Expansion expand(Path base, String defaultScenario) {
        Path dir = base.resolve(root.isEmpty() ? "." : root).normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "--responses template '" + template + "': directory " + dir + " does not exist");
        }
        List<LabelledFile> files = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir, depth)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                Matcher m = pattern.matcher(relative(dir, file));
                if (!m.matches()) {
                    continue;
                }
                Runtime runtime = runtimeOf(m.group("runtime"));
                if (runtime == null) {
                    rejects.add(new Reject(
                            file.toString(),
                            0,
                            "responses_runtime",
                            "runtime '" + m.group("runtime") + "' in the path is not wasm, container or openfaas",
                            ""));
                    continue;
                }
                String scenario = hasScenario ? m.group("scenario") : defaultScenario;
                files.add(new LabelledFile(file, scenario, m.group("function"), runtime));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " for --responses '" + template + "'", e);
        }
        return new Expansion(files, rejects);
    }

    private static String relative(Path dir, Path file) {
        List<String> names = new ArrayList<>();
        dir.relativize(file).forEach(p -> names.add(p.toString()));
        return String.join("/", names);
    }

    /**
     * The runtime a path or file-name label stands for: {@code wasm}; {@code container} or
     * {@code openfaas}; else {@code null}.
     */
    public static Runtime runtimeOf(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "wasm" -> Runtime.WASM;
            case "container", "openfaas" -> Runtime.CONTAINER;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return template;
    }
}
