package dev.wasmorch.shim.app;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WAGI request environment: the CGI 1.1 meta-variables (RFC 3875) plus the {@code X_*} variables
 * Spin's WAGI executor adds, computed as Spin does (deislabs/wagi {@code build_headers} overlaid with
 * Spin's {@code compute_default_headers}).
 */
final class CgiEnvironment {

    private CgiEnvironment() {}

    /**
     * @param method     the request method
     * @param uri        the request URI as received (raw path and query)
     * @param headers    request headers (names in any case)
     * @param bodyLength the body's length in bytes
     * @param client     the peer address
     * @param localPort  the port the listener is bound to
     * @param route      the route that matched
     */
    static Map<String, String> build(
            String method,
            URI uri,
            Map<String, List<String>> headers,
            int bodyLength,
            InetSocketAddress client,
            int localPort,
            Router.Entry route) {
        Map<String, String> env = new LinkedHashMap<>();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        String hostHeader = first(headers, "Host");
        String host = hostHeader == null ? "localhost" : hostHeader;
        String serverName = host;
        String serverPort = Integer.toString(localPort);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            serverName = host.substring(0, colon);
            serverPort = host.substring(colon + 1);
        }
        RoutePattern pattern = route.pattern();
        String rawPathInfo = pattern.pathInfo(rawPath);
        String pathInfo = decode(rawPathInfo);

        env.put("AUTH_TYPE", "");
        env.put("CONTENT_LENGTH", Integer.toString(bodyLength));
        String contentType = first(headers, "Content-Type");
        env.put("CONTENT_TYPE", contentType == null ? "" : contentType);
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("PATH_INFO", pathInfo);
        env.put("PATH_TRANSLATED", pathInfo);
        env.put("QUERY_STRING", rawQuery);
        env.put("REMOTE_ADDR", client.getAddress().getHostAddress());
        env.put("REMOTE_HOST", client.getAddress().getHostAddress());
        env.put("REMOTE_USER", "");
        env.put("REQUEST_METHOD", method);
        env.put("SCRIPT_NAME", pattern.scriptName());
        env.put("SERVER_NAME", serverName);
        env.put("SERVER_PORT", serverPort);
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("SERVER_SOFTWARE", "WAGI/1");
        env.put("X_RAW_PATH_INFO", rawPathInfo);
        env.put("X_FULL_URL", "http://" + host + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery));
        env.put("X_MATCHED_ROUTE", route.route().route());
        env.put("X_BASE_PATH", "/");
        env.put("X_RAW_COMPONENT_ROUTE", route.route().route());
        env.put("X_COMPONENT_ROUTE", pattern.scriptName());
        env.put("X_CLIENT_ADDR", client.getAddress().getHostAddress() + ":" + client.getPort());
        headers.forEach((name, values) -> {
            String key = "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            // RFC 3875 4.1.18: credentials and connection handling stay with the server.
            if (!key.equals("HTTP_AUTHORIZATION") && !key.equals("HTTP_CONNECTION") && !values.isEmpty()) {
                env.put(key, String.join(",", values));
            }
        });
        return env;
    }

    /** The argv from the executor's template ({@code ${SCRIPT_NAME} ${ARGS}}), as Spin builds it. */
    static List<String> argv(String template, URI uri) {
        String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String args = uri.getRawQuery() == null ? "" : uri.getRawQuery().replace('&', ' ');
        return List.of(template.replace("${SCRIPT_NAME}", path)
                .replace("${ARGS}", args)
                .split(" ", -1));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    private static String decode(String raw) {
        try {
            // Not form decoding: a '+' in a path is a plus.
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
