package dev.wasmorch.pipeline.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstantiationCsvReaderTest {

    @TempDir
    Path dir;

    @Test
    void normalizesTheStudysTestNames() {
        assertThat(InstantiationCsvReader.normalize("aes-v2")).isEqualTo("aes");
        assertThat(InstantiationCsvReader.normalize("openfaas_aes")).isEqualTo("aes");
        assertThat(InstantiationCsvReader.normalize("openfaas-n-body")).isEqualTo("n-body");
        assertThat(InstantiationCsvReader.normalize("prime-nubmers-v2")).isEqualTo("prime-numbers");
        assertThat(InstantiationCsvReader.normalize(" Float-Operation-V12 ")).isEqualTo("float-operation");
        assertThat(InstantiationCsvReader.normalize("openfaas_user-manager")).isEqualTo("user-manager");
        // only a trailing version is removed
        assertThat(InstantiationCsvReader.normalize("v2-matmul")).isEqualTo("v2-matmul");
    }

    @Test
    void readsRowsAndRejectsWhatItCannotUse() throws Exception {
        Path file = dir.resolve("wasm-instantiation-time.csv");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        InstantiationCsvReader.HEADER,
                        "aes-app-5f849b64f9-5l6xl,aes-v2,1.066223",
                        "pm-app-1,prime-nubmers-v2,0.75309",
                        "x-1,sha256-v2,0.9", // 4: unknown function
                        "aes-app-2,aes-v2,soon", // 5: not a number
                        "aes-app-3,aes-v2", // 6: columns
                        ""));
        ResponseData data = InstantiationCsvReader.read(file, "instantiation", Runtime.WASM);
        assertThat(data.samples())
                .containsExactly(
                        new Sample("instantiation", "aes", Runtime.WASM, "created_to_started", 1.066223),
                        new Sample("instantiation", "prime-numbers", Runtime.WASM, "created_to_started", 0.75309));
        assertThat(data.rejects()).extracting(Reject::line).containsExactly(4L, 5L, 6L);
        assertThat(data.rejects())
                .extracting(Reject::reason)
                .containsExactly("unknown_function", "instantiation_value", "instantiation_columns");
        assertThat(data.rejects().get(0).detail()).contains("'sha256-v2'").contains("aes, float-operation");
        assertThat(data.non2xx()).isEmpty();
    }
}
