package dev.wasmorch.shim.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests check about mounts, from /proc/self/mountinfo. */
public final class MountInfo {

    private MountInfo() {}

    /** Whether {@code target} is a mount point. */
    public static boolean isMounted(Path target) throws IOException {
        String t = target.toAbsolutePath().normalize().toString();
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            // field 5 is the mount point, with spaces and the like escaped as octal (\040)
            return lines.map(l -> l.split(" "))
                    .anyMatch(f -> f.length > 4 && unescape(f[4]).equals(t));
        }
    }

    /** The mount options (field 6) of the topmost mount on {@code target}, or "" if none. */
    public static String options(Path target) throws IOException {
        String t = target.toAbsolutePath().normalize().toString();
        String found = "";
        for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = l.split(" ");
            if (f.length > 5 && unescape(f[4]).equals(t)) {
                found = f[5];
            }
        }
        return found;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
