package dev.wasmorch.shim.app;

/**
 * A Spin HTTP route: exact ({@code /hello}) or trailing wildcard ({@code /api/...}, {@code /...} for
 * everything). A trailing slash is not significant, as in Spin.
 *
 * @param prefix   the path (exact) or the path before {@code /...} (wildcard; empty for {@code /...})
 * @param wildcard whether the route ends in {@code /...}
 */
public record RoutePattern(String prefix, boolean wildcard) {

    private static final String WILDCARD = "/...";

    /** @throws IllegalArgumentException with a message naming what is wrong with the route */
    public static RoutePattern parse(String route) {
        if (route == null || !route.startsWith("/")) {
            throw new IllegalArgumentException("route \"" + route + "\" must start with /");
        }
        boolean wildcard = route.endsWith(WILDCARD);
        String prefix = wildcard ? route.substring(0, route.length() - WILDCARD.length()) : route;
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.contains("...")) {
            throw new IllegalArgumentException("route \"" + route + "\": ... may only end a route (/...)");
        }
        if (prefix.contains("/:")) {
            throw new IllegalArgumentException(
                    "route \"" + route + "\": named wildcards (:name) are not supported by this shim");
        }
        return new RoutePattern(prefix.isEmpty() && !wildcard ? "/" : prefix, wildcard);
    }

    /** Identity for duplicate detection. */
    String key() {
        return (wildcard ? "prefix:" : "exact:") + prefix;
    }

    /** Whether a request path (without query) hits this route. */
    public boolean matches(String path) {
        String p = normalize(path);
        if (!wildcard) {
            return p.equals(prefix);
        }
        return prefix.isEmpty() || p.equals(prefix) || p.startsWith(prefix + "/");
    }

    /** The part of the path after the route's prefix: WAGI's {@code PATH_INFO} (empty for exact routes). */
    public String pathInfo(String path) {
        return wildcard ? path.substring(Math.min(prefix.length(), path.length())) : "";
    }

    /** The route's path or prefix: CGI's {@code SCRIPT_NAME}. */
    public String scriptName() {
        return prefix;
    }

    private static String normalize(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
