package dev.wasmorch.pipeline.parse;

import java.util.List;

/**
 * The log dialects {@link LineParser} reads, in the order it tries them: the first that finds
 * itself in a message reads it. The byte pre-filter takes their markers from here.
 */
final class Dialects {

    static final List<Dialect> ALL = List.of(
            new NativeFormat(),
            new StudyFormat(),
            new KlogMessage(StructuredFormats.EVENT_OCCURRED, StructuredFormats::eventOccurred),
            new KlogMessage(StructuredFormats.BOUND_POD, StructuredFormats::boundPod),
            new KlogMessage(StructuredFormats.OBSERVED_STARTUP, StructuredFormats::observedStartup));

    private Dialects() {}
}
