package dev.wasmorch.shim.app;

import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.compiler.internal.MachineFactory;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One component's module, parsed, checked and compiled to JVM bytecode ONCE when the app starts;
 * {@link #run} then builds a fresh instance (fresh linear memory, globals, tables) for every
 * invocation, so no state survives from one request to the next.
 */
public final class WasmComponent {

    /** The WASI preview 1 module name. */
    static final String WASI_MODULE = "wasi_snapshot_preview1";

    /** The WASI calls that create links; refused by {@link #withoutLinks}. */
    private static final Set<String> LINK_CALLS = Set.of("path_symlink", "path_link");

    /** WASI preview 1 errno {@code perm}: the caller may not do this, as the kernel says for policy. */
    private static final int WASI_EPERM = 63;

    private final String id;
    private final Path source;
    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;
    private final MemoryLimits memoryLimits;
    /** The bytes of the class files Chicory generated for the module ({@link #codeBytes()}). */
    private final long codeBytes;

    private WasmComponent(
            String id,
            Path source,
            WasmModule module,
            Function<Instance, Machine> machineFactory,
            MemoryLimits memoryLimits,
            long codeBytes) {
        this.id = id;
        this.source = source;
        this.module = module;
        this.machineFactory = machineFactory;
        this.memoryLimits = memoryLimits;
        this.codeBytes = codeBytes;
    }

    /**
     * Parses, checks and compiles a module file.
     *
     * @param maxMemoryBytes the instance memory cap: the module's declared maximum is lowered to it
     * @throws WorkloadException {@code missing_module} for a file that cannot be read,
     *                      {@code broken_module} for bytes that are no valid module,
     *                      {@code unsupported_import} for imports other than WASI preview 1 and
     *                      {@code wasi_experimental_http} functions (of the ABI's signatures),
     *                      {@code memory_limit} when the module's initial memory already exceeds the cap
     */
    public static WasmComponent compile(String id, Path source, long maxMemoryBytes) throws WorkloadException {
        return compile(id, source, read(id, source), maxMemoryBytes);
    }

    /** The module file's bytes; {@code missing_module} when it cannot be read. */
    static byte[] read(String id, Path source) throws WorkloadException {
        try {
            return java.nio.file.Files.readAllBytes(source);
        } catch (java.io.IOException e) {
            throw new WorkloadException(
                    "missing_module", source + " (component " + id + "): cannot read: " + e.getMessage(), e);
        }
    }

    /** As {@link #compile(String, Path, long)} for the bytes read from {@code source}. */
    static WasmComponent compile(String id, Path source, byte[] bytes, long maxMemoryBytes) throws WorkloadException {
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new WorkloadException(
                    "broken_module",
                    source + " (component " + id + "): not a valid WebAssembly module: " + e.getMessage(),
                    e);
        }
        checkImports(id, source, module);
        MemoryLimits limits = cappedLimits(id, source, module, maxMemoryBytes);
        CompilerResult compiled;
        try {
            // what MachineFactoryCompiler.compile(module) does, keeping the result: its public API
            // returns only the factory, and the generated classes' bytes are the code's measure
            compiled = Compiler.builder(module).build().compile();
        } catch (ChicoryException | IllegalStateException e) {
            throw new WorkloadException(
                    "broken_module", source + " (component " + id + "): cannot compile: " + e.getMessage(), e);
        }
        long code = 0;
        for (byte[] classFile : compiled.classBytes().values()) {
            code += classFile.length;
        }
        return new WasmComponent(
                id, source, module, new MachineFactory(module, compiled.machineFactory()), limits, code);
    }

    /**
     * Network and host access exist only through imports: besides WASI preview 1 functions (which have
     * no outbound sockets) a module may import only the outbound HTTP functions, which go where the
     * component's grant says and nowhere else ({@link OutboundHttp}).
     */
    private static void checkImports(String id, Path source, WasmModule module) throws WorkloadException {
        Set<String> provided = new HashSet<>();
        try (WasiPreview1 wasi = WasiPreview1.builder()
                .withOptions(WasiOptions.builder().build())
                .build()) {
            for (var f : wasi.toHostFunctions()) {
                provided.add(f.module() + "::" + f.name());
            }
        }
        Map<String, FunctionType> http = OutboundHttp.signatures();
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            String name = imp.module() + "::" + imp.name();
            String why = null;
            if (imp.importType() != ExternalType.FUNCTION) {
                why = "only functions can be imported";
            } else if (OutboundHttp.MODULE.equals(imp.module())) {
                FunctionType expected = http.get(imp.name());
                FunctionType actual = module.typeSection().getType(((FunctionImport) imp).typeIndex());
                if (expected == null) {
                    why = "unknown " + OutboundHttp.MODULE + " function";
                } else if (!expected.typesMatch(actual)) {
                    why = "type " + actual + " is not the ABI's " + expected;
                }
            } else if (!provided.contains(name)) {
                why = WASI_MODULE.equals(imp.module())
                        ? "unknown WASI preview 1 function"
                        : "only " + WASI_MODULE + " and " + OutboundHttp.MODULE
                                + " are provided (no sockets or other host interfaces)";
            }
            if (why != null) {
                throw new WorkloadException(
                        "unsupported_import",
                        source + " (component " + id + "): imports "
                                + imp.importType().name().toLowerCase(java.util.Locale.ROOT) + " " + name + ": " + why);
            }
        }
    }

    private static MemoryLimits cappedLimits(String id, Path source, WasmModule module, long maxMemoryBytes)
            throws WorkloadException {
        int capPages = (int) Math.min(MemoryLimits.MAX_PAGES, maxMemoryBytes / Memory.PAGE_SIZE);
        var section = module.memorySection();
        if (section.isEmpty() || section.get().memoryCount() == 0) {
            return new MemoryLimits(0, 0);
        }
        MemoryLimits declared = section.get().getMemory(0).limits();
        if (declared.initialPages() > capPages) {
            throw new WorkloadException(
                    "memory_limit",
                    source + " (component " + id + "): needs "
                            + declared.initialPages() + " pages (" + mib(declared.initialPages())
                            + ") at start, above the "
                            + "memory limit of " + capPages + " pages (" + mib(capPages) + ")");
        }
        return new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), capPages));
    }

    static String mib(int pages) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", pages * (double) Memory.PAGE_SIZE / (1 << 20));
    }

    public String id() {
        return id;
    }

    /** The same compiled module as another app's component (a cache hit). */
    WasmComponent as(String otherId, Path otherSource) {
        return new WasmComponent(otherId, otherSource, module, machineFactory, memoryLimits, codeBytes);
    }

    /**
     * The same compiled module with another per-instance memory cap (a task's Update).
     *
     * @throws WorkloadException {@code memory_limit} when the module's initial memory exceeds the cap
     */
    WasmComponent capped(long maxMemoryBytes) throws WorkloadException {
        return new WasmComponent(
                id, source, module, machineFactory, cappedLimits(id, source, module, maxMemoryBytes), codeBytes);
    }

    /** Whether the module exports a function of that name (the WAGI entrypoint). */
    public boolean exports(String name) {
        var exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            var e = exports.getExport(i);
            if (e.name().equals(name) && e.exportType() == ExternalType.FUNCTION) {
                return true;
            }
        }
        return false;
    }

    /**
     * The size of the module's compiled code: the bytes of the JVM class files Chicory's compiler
     * generated for it, all of them loaded into the daemon (one class for the module, plus classes
     * for its function groups and call dispatch). It is the measure the compiler gives; what the
     * JVM makes of those classes (metaspace, JIT-compiled machine code) is not visible per class and
     * is not counted. A module shared by several containers (ModuleCache) is held once, but each of
     * them counts it in full: it is the code each one runs.
     */
    public long codeBytes() {
        return codeBytes;
    }

    /** The most pages an instance may grow to. */
    public int maxPages() {
        return memoryLimits.maximumPages();
    }

    /** What one invocation did. */
    public record Outcome(int exitCode, int memoryPages, RuntimeException failure) {
        public boolean ok() {
            return failure == null && exitCode == 0;
        }
    }

    /**
     * Runs the module once in a new instance (WASI command: calls {@code entrypoint}, normally
     * {@code _start}) with no outbound HTTP granted. A trap, exhausted memory or an interruption ends
     * up in {@link Outcome#failure()}.
     */
    public Outcome run(
            List<String> args,
            Map<String, String> env,
            Map<String, Path> preopens,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            String entrypoint) {
        return run(
                args,
                env,
                preopens,
                stdin,
                stdout,
                stderr,
                entrypoint,
                null,
                new OutboundHttp(HttpGrant.NONE, OutboundLimits.DEFAULT, OutboundClient.NODE, line -> {}));
    }

    /**
     * As above with the outbound HTTP functions of {@code http} (this invocation's own: its sessions
     * die with the instance); while the instance runs, its memory is in {@code live} (when given).
     */
    Outcome run(
            List<String> args,
            Map<String, String> env,
            Map<String, Path> preopens,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            String entrypoint,
            LiveMemory live,
            OutboundHttp http) {
        WasiOptions.Builder opts = WasiOptions.builder()
                .withArguments(args)
                .withStdin(stdin)
                .withStdout(stdout)
                .withStderr(stderr);
        env.forEach(opts::withEnvironment);
        preopens.forEach(opts::withDirectory);
        Instance instance = null;
        try (WasiPreview1 wasi =
                WasiPreview1.builder().withOptions(opts.build()).build()) {
            instance = Instance.builder(module)
                    .withImportValues(ImportValues.builder()
                            .addFunction(withoutLinks(wasi.toHostFunctions()))
                            .addFunction(http.functions())
                            .build())
                    .withMachineFactory(machineFactory)
                    // a byte[] with VarHandle access: the compiled code's loads and stores are
                    // several times faster than through the default ByteBuffer's per-access index
                    // checks (docs/benchmarks.md, "functions: serial response time")
                    .withMemoryFactory(ByteArrayMemory::new)
                    .withMemoryLimits(memoryLimits)
                    .withStart(false)
                    .build();
            if (live != null && instance.memory() != null) {
                live.add(instance.memory());
            }
            var export = instance.export(entrypoint);
            export.apply();
            return new Outcome(0, pages(instance), null);
        } catch (WasiExitException e) {
            return new Outcome(e.exitCode(), pages(instance), null);
        } catch (RuntimeException e) {
            return new Outcome(-1, pages(instance), e);
        } finally {
            if (live != null && instance != null && instance.memory() != null) {
                live.remove(instance.memory());
            }
        }
    }

    /**
     * Chicory's WASI implements path_symlink and path_link (Files.createSymbolicLink/createLink in
     * the preopened directory), and its path_open follows a link to wherever it points, even
     * outside the preopen. The granted copies hold no links ({@link FileMounts}); refusing these two
     * calls keeps it so, whatever the module does.
     */
    private static HostFunction[] withoutLinks(HostFunction[] wasi) {
        return Arrays.stream(wasi)
                .map(f -> LINK_CALLS.contains(f.name())
                        ? new HostFunction(
                                f.module(), f.name(), f.functionType(), (instance, args) -> new long[] {WASI_EPERM})
                        : f)
                .toArray(HostFunction[]::new);
    }

    private static int pages(Instance instance) {
        return instance == null || instance.memory() == null
                ? 0
                : instance.memory().pages();
    }
}
