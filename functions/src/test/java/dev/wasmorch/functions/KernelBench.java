package dev.wasmorch.functions;

import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark (not a test; run by {@code functions/bench/kernel-bench}): where Chicory loses time
 * against the native build, without HTTP, containerd or the shim. Per self-contained function, its
 * catalog request run in-process as the shim runs it ({@link WagiModule}: a fresh instance per
 * call) in a new JVM per engine: Chicory's compiler with a byte[] memory (the shim's way), the
 * compiler with Chicory's default ByteBuffer memory, and the interpreter. Prints the first call
 * (HotSpot has compiled nothing yet), the median of the second half of the calls and their minimum.
 * The median is the middle value (mean of the two middle ones for an even count).
 */
public final class KernelBench {

    public static void main(String[] args) throws Exception {
        String name = args[0];
        WagiModule.Engine engine = WagiModule.Engine.valueOf(args[1]);
        int calls = Integer.parseInt(args[2]);
        Catalog.Function f = Catalog.load().function(name);
        Catalog.Request r = f.request();
        WagiModule module = new WagiModule(Catalog.OUT.resolve(f.name()).resolve(f.file() + ".wasm"), engine);
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            WagiModule.Answer a = module.call(r.method(), r.path(), r.query(), r.body());
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (a.status() != 200) {
                throw new IllegalStateException(name + " answered " + a.status() + ": " + a.body());
            }
        }
        double[] warm = Arrays.copyOfRange(ms, calls / 2, calls);
        Arrays.sort(warm);
        int n = warm.length;
        double median = n % 2 == 1 ? warm[n / 2] : (warm[n / 2 - 1] + warm[n / 2]) / 2;
        System.out.printf(
                Locale.ROOT, "| %s | %s | %d | %.1f | %.2f | %.2f |%n", name, engine, calls, ms[0], median, warm[0]);
    }
}
