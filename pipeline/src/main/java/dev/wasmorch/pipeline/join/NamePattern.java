package dev.wasmorch.pipeline.join;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's {@code --name-pattern [SCENARIO=]REGEX}: how the names of pods without metadata carry
 * their function and scenario (for logs whose pods are gone, and runners that name their pods).
 * The regex must match the whole pod name and has a named group {@code function}; the scenario is
 * SCENARIO when given, else the text of a group {@code scenario} when the regex has one.
 *
 * @param text          the pattern as written, for messages
 * @param scenario      the scenario of every pod it matches, or {@code null}
 * @param regex         the compiled regex
 * @param scenarioGroup whether the regex has a group {@code scenario}
 */
public record NamePattern(String text, String scenario, Pattern regex, boolean scenarioGroup) implements Serializable {

    private static final Pattern SCENARIO_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$", Pattern.DOTALL);

    /** What a matching pattern says of a pod; {@code scenario} is {@code null} when the pattern says nothing of it. */
    public record Match(String function, String scenario) {}

    /** Parses one pattern; the message of the {@link IllegalArgumentException} says what is wrong. */
    public static NamePattern parse(String text) {
        Matcher prefix = SCENARIO_PREFIX.matcher(text);
        String scenario = prefix.matches() ? prefix.group(1) : null;
        String regex = prefix.matches() ? prefix.group(2) : text;
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + text + "': bad regex: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!hasGroup(compiled, "function")) {
            throw new IllegalArgumentException("'" + text + "': the regex has no group (?<function>...)");
        }
        return new NamePattern(text, scenario, compiled, hasGroup(compiled, "scenario"));
    }

    /**
     * Whether the regex defines the named group. Java 17 cannot list a pattern's groups, and asking
     * a matcher needs a match: the regex, or else the empty alternative, always matches "".
     */
    private static boolean hasGroup(Pattern regex, String name) {
        Matcher m = Pattern.compile("(?:" + regex.pattern() + ")|").matcher("");
        m.matches();
        try {
            m.group(name);
            return true;
        } catch (IllegalArgumentException absent) {
            return false;
        }
    }

    /** The function and scenario in a pod name, or {@code null} when the whole name does not match or names no function. */
    public Match match(String podName) {
        Matcher m = regex.matcher(podName);
        if (!m.matches() || m.group("function") == null || m.group("function").isEmpty()) {
            return null;
        }
        return new Match(m.group("function"), scenario != null ? scenario : scenarioGroup ? m.group("scenario") : null);
    }
}
