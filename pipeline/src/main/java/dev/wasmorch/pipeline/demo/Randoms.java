package dev.wasmorch.pipeline.demo;

import java.util.SplittableRandom;

/** Seeded random identifiers: the generator must give the same files for the same seed. */
final class Randoms {

    private Randoms() {}

    /** Lower-case hex digits, like container and sandbox IDs. */
    static String hex(SplittableRandom rng, int length) {
        char[] out = new char[length];
        for (int k = 0; k < length; k++) {
            out[k] = Character.forDigit(rng.nextInt(16), 16);
        }
        return new String(out);
    }
}
