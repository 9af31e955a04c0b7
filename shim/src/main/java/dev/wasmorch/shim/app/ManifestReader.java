package dev.wasmorch.shim.app;

import dev.wasmorch.shim.app.SpinManifest.Component;
import dev.wasmorch.shim.app.SpinManifest.FileMount;
import dev.wasmorch.shim.app.SpinManifest.HttpRoute;
import dev.wasmorch.shim.app.SpinManifest.WagiOptions;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code spin.toml} in Spin's manifest version 1 ({@code spin_version = "1"} /
 * {@code spin_manifest_version = "1"}, {@code [[component]]} with {@code [component.trigger]}) and
 * version 2 ({@code spin_manifest_version = 2}, {@code [[trigger.http]]} + {@code [component.ID]}).
 * Every error names the file, the field and, when known, the line. The manifest is untrusted: paths
 * must stay inside the app directory.
 */
public final class ManifestReader {

    public static final String MANIFEST_NAME = "spin.toml";

    private final Path appDir;
    private final Path file;
    private TomlParseResult toml;

    private ManifestReader(Path appDir) {
        this.appDir = appDir.toAbsolutePath().normalize();
        this.file = this.appDir.resolve(MANIFEST_NAME);
    }

    /** Reads {@code APPDIR/spin.toml}. */
    public static SpinManifest read(Path appDir) throws WorkloadException {
        return new ManifestReader(appDir).read();
    }

    private SpinManifest read() throws WorkloadException {
        try {
            toml = Toml.parse(plainManifest());
        } catch (NoSuchFileException e) {
            throw new WorkloadException(
                    "missing_manifest", file + ": no Spin manifest in the container's root file system");
        } catch (IOException e) {
            throw new WorkloadException("missing_manifest", file + ": cannot read: " + e.getMessage(), e);
        }
        if (toml.hasErrors()) {
            var err = toml.errors().get(0);
            throw new WorkloadException(
                    "invalid_manifest",
                    file + ": line " + err.position().line() + ": TOML syntax: " + err.getMessage());
        }
        int version = manifestVersion();
        return version == 1 ? readV1() : readV2();
    }

    /**
     * The manifest is image content read by root: as a link to a host file it would be read, and
     * parts of it quoted in errors; as a FIFO or device the start would hang or read without end.
     * So it must be a regular file inside the app directory.
     */
    private Path plainManifest() throws IOException, WorkloadException {
        Path real = file.toRealPath();
        if (!real.startsWith(appDir.toRealPath())) {
            throw new WorkloadException(
                    "invalid_manifest", file + ": resolves (through a link) outside the app directory; not read");
        }
        if (!Files.isRegularFile(real)) {
            throw new WorkloadException(
                    "invalid_manifest", file + ": not a regular file (a directory, FIFO, socket or device); not read");
        }
        return real;
    }

    private int manifestVersion() throws WorkloadException {
        Object v2 = toml.get(List.of("spin_manifest_version"));
        Object v1 = toml.get(List.of("spin_version"));
        if (v2 instanceof Long l && l == 2) {
            return 2;
        }
        if ("1".equals(v2) || "1".equals(v1)) {
            return 1;
        }
        if (v2 != null) {
            throw fail(
                    toml,
                    "spin_manifest_version",
                    "spin_manifest_version: unsupported manifest version " + v2 + " (expected \"1\" or 2)");
        }
        if (v1 != null) {
            throw fail(toml, "spin_version", "spin_version: unsupported manifest version " + v1 + " (expected \"1\")");
        }
        throw fail(
                toml,
                "spin_manifest_version",
                "spin_manifest_version: missing: set spin_manifest_version = 2 (or spin_version = \"1\")");
    }

    private SpinManifest readV1() throws WorkloadException {
        String name = requiredString(toml, "name", "name");
        TomlTable trigger = requiredTable(toml, "trigger", "trigger");
        String type = requiredString(trigger, "type", "trigger.type");
        if (!"http".equals(type)) {
            throw fail(trigger, "type", "trigger.type: only \"http\" is supported, got \"" + type + "\"");
        }
        String base = optionalString(trigger, "base", "trigger.base", "/");
        TomlArray array = toml.getArray(List.of("component"));
        if (array == null || array.isEmpty()) {
            throw fail(toml, "component", "component: the manifest declares no [[component]]");
        }
        Map<String, Component> components = new LinkedHashMap<>();
        List<HttpRoute> routes = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "component[" + i + "]";
            if (!(array.get(i) instanceof TomlTable c)) {
                throw fail(toml, "component", at + ": must be a table");
            }
            String id = requiredString(c, "id", at + ".id");
            putUnique(components, c, readComponent(id, c, at, "allowed_http_hosts"));
            TomlTable t = requiredTable(c, "trigger", at + ".trigger");
            String route = requiredString(t, "route", at + ".trigger.route");
            routes.add(
                    new HttpRoute(joinBase(base, route), id, wagi(t, at + ".trigger.executor"), at + ".trigger.route"));
        }
        return new SpinManifest(file, 1, name, components, checkedRoutes(routes));
    }

    private SpinManifest readV2() throws WorkloadException {
        TomlTable application = requiredTable(toml, "application", "application");
        String name = requiredString(application, "name", "application.name");
        String base = optionalString(application, "trigger.http.base", "application.trigger.http.base", "/");
        TomlTable componentTable = toml.getTable(List.of("component"));
        Map<String, Component> components = new LinkedHashMap<>();
        if (componentTable != null) {
            for (String id : componentTable.keySet()) {
                String at = "component." + id;
                if (!(componentTable.get(List.of(id)) instanceof TomlTable c)) {
                    throw fail(componentTable, id, at + ": must be a table");
                }
                putUnique(components, c, readComponent(id, c, at, "allowed_outbound_hosts"));
            }
        }
        TomlArray http = toml.getArray(List.of("trigger", "http"));
        if (http == null || http.isEmpty()) {
            throw fail(toml, "trigger", "trigger.http: the manifest declares no [[trigger.http]]");
        }
        List<HttpRoute> routes = new ArrayList<>();
        for (int i = 0; i < http.size(); i++) {
            String at = "trigger.http[" + i + "]";
            if (!(http.get(i) instanceof TomlTable t)) {
                throw fail(toml, "trigger", at + ": must be a table");
            }
            if (t.get(List.of("route")) instanceof TomlTable privateRoute) {
                // `route = { private = true }`: reachable only by service chaining, which this shim lacks.
                if (Boolean.TRUE.equals(privateRoute.get(List.of("private")))) {
                    continue;
                }
            }
            String route = requiredString(t, "route", at + ".route");
            Object ref = t.get(List.of("component"));
            String id;
            if (ref instanceof String s) {
                id = s;
            } else if (ref instanceof TomlTable inline) {
                id = "trigger-http-" + i;
                putUnique(components, t, readComponent(id, inline, at + ".component", "allowed_outbound_hosts"));
            } else {
                throw fail(t, "component", at + ".component: required (a component id or an inline component table)");
            }
            if (!components.containsKey(id)) {
                throw fail(t, "component", at + ".component: no [component." + id + "] in the manifest");
            }
            routes.add(new HttpRoute(joinBase(base, route), id, wagi(t, at + ".executor"), at + ".route"));
        }
        return new SpinManifest(file, 2, name, components, checkedRoutes(routes));
    }

    private Component readComponent(String id, TomlTable c, String at, String hostsKey) throws WorkloadException {
        Object src = c.get(List.of("source"));
        if (src instanceof TomlTable) {
            throw fail(
                    c,
                    "source",
                    at + ".source: remote sources ({ url, digest }) are not supported; "
                            + "pack the module into the image and name its path");
        }
        Path source = insideApp(c, "source", at + ".source", requiredString(c, "source", at + ".source"));
        if (!Files.isRegularFile(source)) {
            throw new WorkloadException(
                    "missing_module", file + ": " + at + ".source: module file " + source + " does not exist");
        }
        Map<String, String> env = new LinkedHashMap<>();
        TomlTable envTable = c.getTable(List.of("environment"));
        if (envTable != null) {
            for (String k : envTable.keySet()) {
                if (!(envTable.get(List.of(k)) instanceof String v)) {
                    throw fail(envTable, k, at + ".environment." + k + ": must be a string");
                }
                env.put(k, v);
            }
        }
        String key = hostsKey;
        List<String> hosts = stringList(c, key, at + "." + key);
        if (hosts.isEmpty() && !"allowed_http_hosts".equals(key)) {
            key = "allowed_http_hosts";
            hosts = stringList(c, key, at + "." + key);
        }
        HttpGrant grant;
        try {
            grant = HttpGrant.parse(hosts);
        } catch (IllegalArgumentException e) {
            throw fail(c, key, at + "." + key + ": " + e.getMessage());
        }
        return new Component(id, source, files(c, at), env, hosts, grant);
    }

    private List<FileMount> files(TomlTable c, String at) throws WorkloadException {
        TomlArray files = c.getArray(List.of("files"));
        if (files == null) {
            if (c.contains(List.of("files"))) {
                throw fail(c, "files", at + ".files: must be an array");
            }
            return List.of();
        }
        List<FileMount> mounts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String f = at + ".files[" + i + "]";
            Object entry = files.get(i);
            if (entry instanceof String pattern) {
                insideApp(c, "files", f, pattern); // a glob must not climb out of the app either
                mounts.add(new FileMount(appDir, "/", pattern));
            } else if (entry instanceof TomlTable t) {
                Path source = insideApp(t, "source", f + ".source", requiredString(t, "source", f + ".source"));
                String dest = requiredString(t, "destination", f + ".destination");
                if (!dest.startsWith("/")) {
                    throw fail(
                            t, "destination", f + ".destination: must be an absolute guest path, got \"" + dest + "\"");
                }
                if (!Files.isDirectory(source)) {
                    throw fail(t, "source", f + ".source: " + source + " is not a directory in the app");
                }
                mounts.add(new FileMount(source, dest, null));
            } else {
                throw fail(c, "files", f + ": must be a glob string or { source, destination }");
            }
        }
        return mounts;
    }

    private WagiOptions wagi(TomlTable t, String field) throws WorkloadException {
        Object executor = t.get(List.of("executor"));
        if (!(executor instanceof TomlTable e)) {
            throw fail(
                    t,
                    "executor",
                    field + ": this shim runs WASI preview 1 modules with the WAGI executor; "
                            + "set executor = { type = \"wagi\" }" + (executor == null ? " (missing)" : ""));
        }
        String type = requiredString(e, "type", field + ".type");
        if (!"wagi".equals(type)) {
            throw fail(e, "type", field + ".type: only \"wagi\" is supported, got \"" + type + "\"");
        }
        return new WagiOptions(
                optionalString(e, "entrypoint", field + ".entrypoint", WagiOptions.DEFAULT.entrypoint()),
                optionalString(e, "argv", field + ".argv", WagiOptions.DEFAULT.argv()));
    }

    private List<HttpRoute> checkedRoutes(List<HttpRoute> routes) throws WorkloadException {
        Map<String, String> seen = new LinkedHashMap<>();
        for (HttpRoute r : routes) {
            try {
                RoutePattern.parse(r.route());
            } catch (IllegalArgumentException e) {
                throw new WorkloadException("invalid_manifest", file + ": " + r.field() + ": " + e.getMessage());
            }
            String before = seen.putIfAbsent(RoutePattern.parse(r.route()).key(), r.field());
            if (before != null) {
                throw new WorkloadException(
                        "invalid_manifest",
                        file + ": " + r.field() + ": route \"" + r.route() + "\" is already taken by " + before);
            }
        }
        if (routes.isEmpty()) {
            throw new WorkloadException(
                    "invalid_manifest", file + ": trigger.http: every route is private; nothing to serve");
        }
        return List.copyOf(routes);
    }

    private static String joinBase(String base, String route) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b.isEmpty() ? route : b + (route.startsWith("/") ? route : "/" + route);
    }

    private Path insideApp(TomlTable t, String key, String field, String relative) throws WorkloadException {
        Path p = appDir.resolve(relative.startsWith("/") ? relative.substring(1) : relative)
                .normalize();
        if (!p.startsWith(appDir)) {
            throw fail(t, key, field + ": \"" + relative + "\" points outside the app directory");
        }
        try {
            if (Files.exists(p) && !p.toRealPath().startsWith(appDir.toRealPath())) {
                throw fail(
                        t, key, field + ": \"" + relative + "\" resolves (through a link) outside the app directory");
            }
        } catch (IOException e) {
            throw fail(t, key, field + ": cannot resolve \"" + relative + "\": " + e.getMessage());
        }
        return p;
    }

    private void putUnique(Map<String, Component> components, TomlTable t, Component c) throws WorkloadException {
        if (components.putIfAbsent(c.id(), c) != null) {
            throw fail(t, "id", "component id \"" + c.id() + "\" is declared twice");
        }
    }

    private String requiredString(TomlTable t, String key, String field) throws WorkloadException {
        Object v = t.get(Toml.parseDottedKey(key));
        if (v == null) {
            throw fail(t, key, field + ": required");
        }
        if (!(v instanceof String s)) {
            throw fail(t, key, field + ": must be a string");
        }
        return s;
    }

    private String optionalString(TomlTable t, String key, String field, String fallback) throws WorkloadException {
        return t.get(Toml.parseDottedKey(key)) == null ? fallback : requiredString(t, key, field);
    }

    private TomlTable requiredTable(TomlTable t, String key, String field) throws WorkloadException {
        Object v = t.get(List.of(key));
        if (!(v instanceof TomlTable table)) {
            throw fail(t, key, field + (v == null ? ": required" : ": must be a table"));
        }
        return table;
    }

    private List<String> stringList(TomlTable t, String key, String field) throws WorkloadException {
        Object v = t.get(List.of(key));
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof TomlArray a)) {
            throw fail(t, key, field + ": must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof String s)) {
                throw fail(t, key, field + "[" + i + "]: must be a string");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private WorkloadException fail(TomlTable t, String key, String message) {
        TomlPosition pos = t.inputPositionOf(Toml.parseDottedKey(key));
        String line = pos == null ? "" : " (line " + pos.line() + ")";
        return new WorkloadException("invalid_manifest", file + ": " + message + line);
    }
}
