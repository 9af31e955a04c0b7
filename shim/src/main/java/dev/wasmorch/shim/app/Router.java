package dev.wasmorch.shim.app;

import dev.wasmorch.shim.app.SpinManifest.HttpRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Picks the route for a request path as Spin does: an exact route wins, else the longest wildcard prefix. */
public final class Router {

    /** A route with its parsed pattern. */
    public record Entry(HttpRoute route, RoutePattern pattern) {}

    private final List<Entry> entries = new ArrayList<>();

    public Router(List<HttpRoute> routes) {
        for (HttpRoute r : routes) {
            entries.add(new Entry(r, RoutePattern.parse(r.route())));
        }
    }

    public Optional<Entry> route(String path) {
        Entry best = null;
        for (Entry e : entries) {
            if (!e.pattern().matches(path)) {
                continue;
            }
            if (!e.pattern().wildcard()) {
                return Optional.of(e);
            }
            if (best == null
                    || e.pattern().prefix().length() > best.pattern().prefix().length()) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }
}
