package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.app.SpinManifest.HttpRoute;
import dev.wasmorch.shim.app.SpinManifest.WagiOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = new Router(List.of(
            route("/...", "fallback"),
            route("/api/...", "api"),
            route("/api/users/...", "users"),
            route("/api/health", "health"),
            route("/hello/", "hello")));

    @Test
    void exactBeatsWildcardAndLongerPrefixBeatsShorter() {
        assertThat(component("/api/health")).isEqualTo("health");
        assertThat(component("/api/users/42")).isEqualTo("users");
        assertThat(component("/api/users")).isEqualTo("users");
        assertThat(component("/api/other")).isEqualTo("api");
        assertThat(component("/apix")).isEqualTo("fallback");
        assertThat(component("/")).isEqualTo("fallback");
    }

    @Test
    void trailingSlashIsNotSignificant() {
        assertThat(component("/hello")).isEqualTo("hello");
        assertThat(component("/hello/")).isEqualTo("hello");
        assertThat(component("/hello/x")).isEqualTo("fallback");
    }

    @Test
    void pathInfoAndScriptName() {
        RoutePattern p = RoutePattern.parse("/api/...");
        assertThat(p.scriptName()).isEqualTo("/api");
        assertThat(p.pathInfo("/api/users/42")).isEqualTo("/users/42");
        assertThat(p.pathInfo("/api")).isEmpty();
        assertThat(RoutePattern.parse("/...").pathInfo("/a/b")).isEqualTo("/a/b");
        assertThat(RoutePattern.parse("/exact").pathInfo("/exact")).isEmpty();
    }

    @Test
    void noRouteNoMatch() {
        Router only = new Router(List.of(route("/only", "only")));
        assertThat(only.route("/other")).isEmpty();
        assertThatThrownBy(() -> RoutePattern.parse("nope")).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> RoutePattern.parse("/a/.../b")).hasMessageContaining("may only end a route");
    }

    private String component(String path) {
        return router.route(path).orElseThrow().route().component();
    }

    private static HttpRoute route(String route, String component) {
        return new HttpRoute(route, component, WagiOptions.DEFAULT, "test");
    }
}
