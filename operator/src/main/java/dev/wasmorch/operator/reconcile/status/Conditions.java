package dev.wasmorch.operator.reconcile.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The Ready, Progressing and Degraded conditions, following the Kubernetes API conventions. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private final List<Condition> previous;
    private final long generation;
    private final List<Condition> result = new ArrayList<>();

    Conditions(List<Condition> previous, long generation) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
    }

    /** Adds a condition; lastTransitionTime moves only when the status flips, as the conventions require. */
    Conditions set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElseGet(
                        () -> DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        result.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return this;
    }

    List<Condition> list() {
        return List.copyOf(result);
    }

    /** The previous condition of a type with status True, if any. */
    public static Condition trueOf(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .orElse(null);
    }
}
