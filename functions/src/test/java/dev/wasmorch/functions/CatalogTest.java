package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private final Catalog catalog = Catalog.load();

    @Test
    void holdsTheStudysNineFunctions() {
        // the function list of shared/paper-data/README.md (the study's results)
        assertThat(catalog.functions())
                .extracting(Catalog.Function::name)
                .containsExactlyInAnyOrder(
                        "aes",
                        "float-operation",
                        "fuzzysearch",
                        "linear-equations",
                        "matmul",
                        "n-body",
                        "prime-numbers",
                        "user-manager",
                        "whatlang");
    }

    @Test
    void everyFunctionHasASourceATypeARequestAndKnownServices() {
        for (Catalog.Function f : catalog.functions()) {
            assertThat(Catalog.DIR.resolve("src/c/fn/" + f.file() + ".c"))
                    .as(f.name())
                    .satisfies(p -> assertThat(Files.isRegularFile(p)).isTrue());
            assertThat(catalog.types()).as(f.name()).containsKey(f.type());
            assertThat(f.request().method()).as(f.name()).isIn("GET", "POST");
            assertThat(f.request().path()).as(f.name()).startsWith("/");
            assertThat(f.request().query()).as(f.name()).isNotNull();
            assertThat(f.request().body()).as(f.name()).isNotNull();
            assertThat(catalog.services().keySet()).as(f.name()).containsAll(f.services());
            // R(eal-world) functions are exactly those that call a service, and only they may reach out
            assertThat(f.type().equals("R"))
                    .as(f.name())
                    .isEqualTo(!f.services().isEmpty());
            assertThat(f.allowed_http_hosts() != null)
                    .as(f.name())
                    .isEqualTo(!f.services().isEmpty());
            // wasi_experimental_http parses each entry as a URL and compares the host
            for (String host : f.allowed_http_hosts() == null ? List.<String>of() : f.allowed_http_hosts()) {
                URI uri = URI.create(host);
                assertThat(uri.getScheme()).as(host).isIn("http", "https");
                assertThat(uri.getHost()).as(host).isNotBlank();
            }
        }
    }
}
