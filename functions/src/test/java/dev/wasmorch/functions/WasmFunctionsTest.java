package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WASM target: each function's module answers its catalog request with the same bytes as its
 * native server, and refuses the same bad parameter with a 400. The three functions that call
 * out import Spin 0.6's wasi_experimental_http, which Chicory does not provide (the shim does):
 * here only their imports are checked; ShimAndRuncTest runs them through the shim.
 */
class WasmFunctionsTest {

    private static final Catalog CATALOG = Catalog.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> selfContained() {
        return CATALOG.functions().stream().filter(f -> f.services().isEmpty()).map(Catalog.Function::name);
    }

    static Stream<String> callingOut() {
        return CATALOG.functions().stream().filter(f -> !f.services().isEmpty()).map(Catalog.Function::name);
    }

    private static WagiModule module(Catalog.Function f) {
        return new WagiModule(Catalog.OUT.resolve(f.name()).resolve(f.file() + ".wasm"));
    }

    @ParameterizedTest
    @MethodSource("selfContained")
    void answersLikeTheNativeServerByteForByte(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        Catalog.Request r = f.request();
        WagiModule.Answer wasm = module(f).call(r.method(), r.path(), r.query(), r.body());
        assertThat(wasm.status()).as(wasm.body()).isEqualTo(200);
        assertThat(wasm.headers()).containsEntry("Content-Type", "application/json");
        String nativeBody;
        try (NativeServer s = NativeServer.start(f, Map.of())) {
            HttpResponse<String> resp = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(s.uri(r.path(), r.query()))
                                    .timeout(Duration.ofSeconds(30))
                                    .method(r.method(), HttpRequest.BodyPublishers.ofString(r.body()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            nativeBody = resp.body();
        }
        assertThat(wasm.body()).isEqualTo(nativeBody).isEqualTo(NativeFunctionsTest.ANSWERS.get(name));
    }

    @ParameterizedTest
    @MethodSource("selfContained")
    void refusesABadParameterNamingIt(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        List<String> bad = NativeFunctionsTest.BAD.get(name);
        WagiModule.Answer wasm = module(f).call(f.request().method(), "/", bad.get(0), bad.get(1));
        assertThat(wasm.status()).isEqualTo(400);
        assertThat(wasm.headers().get("Status")).isEqualTo("400 Bad Request");
        assertThat(JSON.readTree(wasm.body()).get("parameter").asText()).isEqualTo(bad.get(2));
    }

    /** The wasi_experimental_http ABI as the module declares it: (pointer, length) pairs, out-pointers, an error code. */
    @ParameterizedTest
    @MethodSource("callingOut")
    void importsSpinsOutboundHttpAbi(String name) {
        Catalog.Function f = CATALOG.function(name);
        var module = module(f).module();
        Map<String, FunctionType> http = new HashMap<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp.module().equals("wasi_experimental_http")) {
                http.put(imp.name(), module.typeSection().getType(((FunctionImport) imp).typeIndex()));
            }
        }
        assertThat(http)
                .isEqualTo(Map.of(
                        "req", i32(10),
                        "body_read", i32(4),
                        "close", i32(1)));
    }

    private static FunctionType i32(int params) {
        return FunctionType.of(Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
    }
}
