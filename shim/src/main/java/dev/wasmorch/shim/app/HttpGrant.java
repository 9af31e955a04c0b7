package dev.wasmorch.shim.app;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A component's {@code allowed_http_hosts}: where its outbound HTTP requests may go.
 *
 * <p>Entries are read as Spin 0.6 reads them ({@code crates/outbound-http/src/allowed_http_hosts.rs}
 * at v0.6.0: a URL with at most "/" as path, or a bare {@code host[:port]}). Matching differs: Spin
 * 0.6 wants the URL's explicit port to equal the entry's (no port = the default port only), the
 * wasi-experimental-http crate compares hosts only. This shim compares hosts and, when the entry
 * names a port, the port; so {@code "http://127.0.0.1"} grants every port on 127.0.0.1 (the study's
 * functions are granted so and reach services on free ports), {@code "http://127.0.0.1:8080"} that
 * one only.
 *
 * @param allowAll whether the list holds {@code insecure:allow-all}
 * @param hosts    the granted hosts (lower case; IPv6 literals in brackets)
 */
public record HttpGrant(boolean allowAll, List<Host> hosts) {

    /** Spin's wildcard entry. */
    static final String ALLOW_ALL = "insecure:allow-all";

    /** Nothing granted: every request gets "destination not allowed". */
    public static final HttpGrant NONE = new HttpGrant(false, List.of());

    /** One entry: a host and, when given, the only port allowed on it. */
    public record Host(String name, Integer port) {}

    public HttpGrant {
        hosts = List.copyOf(hosts);
    }

    /**
     * Parses the manifest's list; an entry is a URL ({@code https://api.example.com}, path at most
     * "/") or a bare {@code host[:port]}.
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static HttpGrant parse(List<String> entries) {
        if (entries.contains(ALLOW_ALL)) {
            return new HttpGrant(true, List.of());
        }
        List<Host> hosts = new ArrayList<>();
        for (String entry : entries) {
            hosts.add(entry(entry));
        }
        return new HttpGrant(false, hosts);
    }

    private static Host entry(String entry) {
        URI uri;
        try {
            uri = new URI(entry.contains("//") ? entry : "http://" + entry);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(entry + " is neither a URL nor host[:port]");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(entry + ": only http and https URLs can be granted");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(entry + " names no host");
        }
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1
                || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(entry + ": give scheme, host and port only");
        }
        return new Host(uri.getHost().toLowerCase(Locale.ROOT), uri.getPort() < 0 ? null : uri.getPort());
    }

    /** Whether a request to this absolute http(s) URL is granted. */
    boolean allows(URI url) {
        if (allowAll) {
            return true;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return hosts.stream().anyMatch(h -> h.name().equals(host) && (h.port() == null || h.port() == port));
    }
}
