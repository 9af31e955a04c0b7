package dev.wasmorch.shim.daemon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Go-style command-line flags ({@code -name value}, {@code --name value}, {@code -name=value}). */
final class Flags {

    private final Map<String, String> values = new HashMap<>();

    private Flags() {}

    static Flags parse(List<String> args, Set<String> known) {
        Flags f = new Flags();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.replaceFirst("^--?", "");
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("flag -" + name + " needs a value");
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown flag -" + name + " (known: " + known + ")");
            }
            f.values.put(name, value);
        }
        return f;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("flag -" + name + " is required");
        }
        return v;
    }

    String optional(String name) {
        return values.getOrDefault(name, "");
    }
}
