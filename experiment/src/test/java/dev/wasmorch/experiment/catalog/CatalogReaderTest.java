package dev.wasmorch.experiment.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogReaderTest {

    static final Path CATALOG = Path.of("..", "functions", "catalog.json");

    @Test
    void readsTheProjectsCatalogInItsOrder() throws Exception {
        Catalog catalog = CatalogReader.read(CATALOG);

        assertThat(catalog.names())
                .containsExactly(
                        "aes",
                        "float-operation",
                        "fuzzysearch",
                        "linear-equations",
                        "matmul",
                        "n-body",
                        "prime-numbers",
                        "user-manager",
                        "whatlang");
        FunctionSpec aes = catalog.functions().get(0);
        assertThat(aes.type()).isEqualTo("M");
        assertThat(aes.request().method()).isEqualTo("POST");
        assertThat(aes.request().target()).isEqualTo("/?rounds=100");
        assertThat(aes.services()).isEmpty();
        FunctionSpec userManager = catalog.functions().get(7);
        assertThat(userManager.request().target()).isEqualTo("/");
        assertThat(userManager.services()).containsExactly("db");
        assertThat(catalog.services().get("objects").env()).isEqualTo("OBJECTS_URL");
    }

    @Test
    void aBadFieldStopsTheRunNamingFileAndField(@TempDir Path dir) throws Exception {
        String good = Files.readString(CATALOG);
        assertThat(error(dir, good.replace("\"method\": \"GET\"", "\"method\": \"FETCH\"")))
                .contains("catalog.json: functions[1].request.method 'FETCH' is not one of");
        assertThat(error(dir, good.replace("\"services\": [\"db\"]", "\"services\": [\"ftp\"]")))
                .contains("functions[7].services[0] \"ftp\" is not one of the catalog's services");
        assertThat(error(dir, good.replace("\"name\": \"matmul\"", "\"name\": \"aes\"")))
                .contains("functions[4].name 'aes' appears twice");
        assertThat(error(dir, good.replace("\"name\": \"matmul\"", "\"name\": \"Mat Mul\"")))
                .contains("functions[4].name 'Mat Mul' is not a lower-case DNS label");
        assertThat(error(dir, good.replace("\"type\": \"R\"", "\"type\": \"X\"")))
                .contains("functions[2].type 'X' is neither M nor R");
        assertThat(error(dir, good.replaceFirst("\"request\": \\{[^}]*}", "\"request\": 3")))
                .contains("functions[0].request is not an object");
        assertThat(error(dir, "{\"services\": {}, \"functions\": []}")).contains("functions must be a non-empty array");
        assertThat(error(dir, "{\"functions\": ")).contains("catalog.json: not JSON");
        assertThatThrownBy(() -> CatalogReader.read(dir.resolve("absent.json")))
                .hasMessageContaining("absent.json: cannot read");
    }

    @Test
    void aMissingRequestFieldIsNamed() throws Exception {
        var root = new ObjectMapper().readTree(Files.readString(CATALOG));
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        root.get("functions").get(3).get("request"))
                .remove("query");

        assertThatThrownBy(() -> CatalogReader.parse("c.json", root))
                .hasMessage("c.json: functions[3].request.query is missing");
    }

    private static String error(Path dir, String text) throws Exception {
        Path file = dir.resolve("catalog.json");
        Files.writeString(file, text);
        try {
            CatalogReader.read(file);
            throw new AssertionError("accepted: " + text);
        } catch (CatalogException e) {
            return e.getMessage();
        }
    }
}
