package dev.wasmorch.experiment.kubernetes;

/** Text from the cluster or a node (messages, reasons, command output) as it may appear in ours. */
final class Untrusted {

    private static final int MAX = 300;

    private Untrusted() {}

    /**
     * At most {@value #MAX} characters, control characters (terminal escapes, new lines) replaced by
     * '?', so a hostile value cannot rewrite the console or forge a line of a results file.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > MAX ? text.substring(0, MAX) + "…" : text;
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || isFormat(c) ? '?' : c));
        return sb.toString();
    }

    private static boolean isFormat(int c) {
        // bidirectional overrides and other invisible format characters
        return Character.getType(c) == Character.FORMAT;
    }
}
