package dev.wasmorch.operator.ports;

import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.contract.registry.RedisTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the port registry lives. Comes from flags or the environment ({@code WASMORCH_REDIS_URL},
 * {@code WASMORCH_REDIS_PASSWORD}), which in a cluster are filled from a Secret; nothing is
 * compiled in except the documented local default.
 *
 * @param url {@code redis://[user:password@]host:port[/db]}, or {@code rediss://...} for TLS (the
 *     server's certificate must be trusted and name the URL's host)
 * @param password overrides a password in the URL when not null
 * @param timeout connect and read timeout, short so a dead Redis does not stall reconciliation
 * @param caFile PEM file of the CA certificates that sign the server's certificate (rediss:// only);
 *     null to trust the JVM's default CAs
 */
public record RedisSettings(URI url, String password, Duration timeout, Path caFile) {
    public static final String URL_ENV = PortKeys.URL_ENV;
    public static final String PASSWORD_ENV = PortKeys.PASSWORD_ENV;
    public static final String CA_FILE_ENV = PortKeys.CA_FILE_ENV;
    public static final String DEFAULT_URL = PortKeys.DEFAULT_URL;

    public RedisSettings {
        String scheme = url.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://, got " + redacted(url));
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("Redis URL has no host: " + redacted(url));
        }
        if (caFile != null && !tls(url)) {
            throw new IllegalArgumentException(
                    "a CA file is for TLS, but the Redis URL is not rediss://: " + redacted(url));
        }
    }

    /** Parses a URL given by a flag or the environment, naming the source in the error. */
    public static RedisSettings parse(String url, String password, Duration timeout, String source) {
        try {
            return new RedisSettings(
                    new URI(url), password == null || password.isEmpty() ? null : password, timeout, null);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": invalid Redis URL: " + e.getMessage(), e);
        }
    }

    /**
     * The same settings trusting the CA certificates in {@code caFile} (PEM). The file is checked here,
     * so a missing or empty one is refused at start rather than at the first connection; the registry
     * reads it again when it connects, so a rotated CA file is picked up on restart of the pool.
     */
    public RedisSettings withCaFile(Path caFile) {
        RedisSettings settings = new RedisSettings(url, password, timeout, caFile);
        RedisTls.trusting(caFile);
        return settings;
    }

    public boolean tls() {
        return tls(url);
    }

    private static boolean tls(URI url) {
        return "rediss".equals(url.getScheme());
    }

    /** The URL without its user-info, safe for logs and messages. */
    public String display() {
        return redacted(url);
    }

    private static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                + (url.getPath() == null ? "" : url.getPath());
    }
}
