package dev.wasmorch.experiment.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine the runner runs on and the runner itself, for run.json. */
public final class MachineFacts {

    private MachineFacts() {}

    /** Cores, memory, kernel, OS, and the load when the run began (the machine may be shared). */
    public static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(java.lang.Runtime.getRuntime().availableProcessors()));
        m.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal:"));
        m.put("kernel", firstLine(Path.of("/proc/sys/kernel/osrelease"), ""));
        m.put("os", firstLine(Path.of("/etc/os-release"), "PRETTY_NAME=").replace("\"", ""));
        m.put("arch", System.getProperty("os.arch"));
        m.put("load_at_start", firstLine(Path.of("/proc/loadavg"), ""));
        return m;
    }

    /** The runner's version and commit, Java, and hey's package version. */
    public static Map<String, String> runner(String hey) {
        Map<String, String> m = new LinkedHashMap<>();
        String version = MachineFacts.class.getPackage().getImplementationVersion();
        m.put("version", version == null ? "unpackaged" : version);
        m.put("commit", System.getenv().getOrDefault("WASMORCH_COMMIT", "unknown"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("hey", hey + " " + command(List.of("dpkg-query", "-W", "-f=${Version}", "hey")));
        return m;
    }

    /** The first line of the command's output, or why there is none. */
    public static String command(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown (" + cmd.get(0) + " timed out)";
            }
            String first = out.lines().findFirst().orElse("");
            return p.exitValue() == 0
                    ? first
                    : "unknown (" + cmd.get(0) + " exited " + p.exitValue() + ": " + first + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
