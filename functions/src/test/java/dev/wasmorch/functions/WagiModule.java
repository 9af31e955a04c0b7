package dev.wasmorch.functions;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A function's WAGI module run as the shim runs it (Chicory, compiled to JVM bytecode, a fresh
 * instance per request in a byte-array memory, the request in CGI variables and on stdin), without
 * the shim itself.
 */
final class WagiModule {

    /** A parsed CGI answer: status, headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {}

    /** How the module runs: the shim's way, and the two alternatives KernelBench compares it with. */
    enum Engine {
        /** Chicory's compiler, memory in a byte[] (the shim's way). */
        COMPILED,
        /** Chicory's compiler, memory in Chicory's default ByteBuffer. */
        COMPILED_BYTE_BUFFER,
        /** Chicory's interpreter, memory in a byte[]. */
        INTERPRETER
    }

    private final WasmModule module;
    private final Engine engine;
    private final Function<Instance, Machine> machines;

    WagiModule(Path wasm) {
        this(wasm, Engine.COMPILED);
    }

    WagiModule(Path wasm, Engine engine) {
        this.module = Parser.parse(wasm);
        this.engine = engine;
        this.machines = engine == Engine.INTERPRETER ? InterpreterMachine::new : MachineFactoryCompiler.compile(module);
    }

    WasmModule module() {
        return module;
    }

    Answer call(String method, String path, String query, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        WasiOptions opts = WasiOptions.builder()
                .withArguments(java.util.List.of(path))
                .withStdin(new ByteArrayInputStream(content))
                .withStdout(stdout)
                .withStderr(System.err)
                .withEnvironment("REQUEST_METHOD", method)
                .withEnvironment("QUERY_STRING", query)
                .withEnvironment("PATH_INFO", path)
                .withEnvironment("CONTENT_LENGTH", Integer.toString(content.length))
                .build();
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(opts).build()) {
            Instance.Builder builder = Instance.builder(module)
                    .withImportValues(ImportValues.builder()
                            .addFunction(wasi.toHostFunctions())
                            .build())
                    .withMachineFactory(machines)
                    .withStart(false);
            if (engine != Engine.COMPILED_BYTE_BUFFER) {
                builder.withMemoryFactory(ByteArrayMemory::new);
            }
            Instance instance = builder.build();
            instance.export("_start").apply();
        } catch (WasiExitException e) {
            if (e.exitCode() != 0) {
                throw new IOException("module exited with " + e.exitCode());
            }
        }
        return parse(stdout.toString(StandardCharsets.UTF_8));
    }

    private static Answer parse(String out) throws IOException {
        int end = out.indexOf("\n\n");
        if (end < 0) {
            throw new IOException("no CGI header block: " + out);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : out.substring(0, end).split("\n")) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(headers.getOrDefault("Status", "200").split(" ")[0]);
        return new Answer(status, headers, out.substring(end + 2));
    }
}
