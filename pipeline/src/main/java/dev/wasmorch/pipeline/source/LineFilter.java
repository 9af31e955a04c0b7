package dev.wasmorch.pipeline.source;

import java.io.Serializable;

/**
 * Which lines the tailing source passes on, decided on the raw bytes so lines of no interest are
 * never decoded; the others are only counted (in progress records).
 */
@FunctionalInterface
public interface LineFilter extends Serializable {

    /** True when the line {@code bytes[from, to)} (without its line break) is to be emitted. */
    boolean accept(byte[] bytes, int from, int to);

    /** Passes every line. */
    static LineFilter all() {
        return (bytes, from, to) -> true;
    }
}
