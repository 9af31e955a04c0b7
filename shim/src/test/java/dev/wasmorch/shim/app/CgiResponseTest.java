package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgiResponseTest {

    @Test
    void headersThenBody() throws Exception {
        CgiResponse r = parse("Content-Type: text/html\r\nX-A: b\r\n\r\n<p>hi</p>\n\nmore");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "text/html"), Map.entry("X-A", "b"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<p>hi</p>\n\nmore");
    }

    @Test
    void statusAndLocation() throws Exception {
        assertThat(parse("Status: 404 Not Found\nContent-Type: text/plain\n\nx").status())
                .isEqualTo(404);
        assertThat(parse("Location: /x\n\n").status()).isEqualTo(302);
        assertThat(parse("Status: 301\nLocation: /x\n\n").status()).isEqualTo(301);
        assertThat(parse("Location: /x\nStatus: 307\n\n").status()).isEqualTo(307);
    }

    @Test
    void malformedOutputIsRefusedWithAReason() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("wrote nothing to stdout");
        assertThatThrownBy(() -> parse("hello world")).hasMessageContaining("no empty line");
        assertThatThrownBy(() -> parse("X-Only: 1\n\nbody"))
                .hasMessageContaining("none of Content-Type, Status or Location");
        assertThatThrownBy(() -> parse("Status: abc\n\n")).hasMessageContaining("no numeric code");
        assertThatThrownBy(() -> parse("garbage line\n\n")).hasMessageContaining("corrupt CGI header line");
        assertThatThrownBy(() -> parse("Bad Name: x\nContent-Type: a\n\n")).hasMessageContaining("invalid header name");
    }

    private static CgiResponse parse(String s) throws CgiResponse.Malformed {
        return CgiResponse.parse(s.getBytes(StandardCharsets.UTF_8));
    }
}
