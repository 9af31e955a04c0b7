package dev.wasmorch.shim.registry;

import dev.wasmorch.contract.registry.RedisTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where Redis is and how to log in: from {@code redis://[user[:password]@]host[:port][/db]}
 * ({@code rediss://} for TLS, the server's certificate checked against the host) plus an optional
 * separate password, which wins over one in the URL.
 *
 * @param address  host and port
 * @param config   user, password, database, TLS and timeouts
 * @param display  the URL without credentials, for log lines
 */
public record RedisTarget(HostAndPort address, JedisClientConfig config, String display) {

    /** Connect and read timeouts: short, so an unreachable Redis never stalls the refresh schedule long. */
    static final int TIMEOUT_MILLIS = 2000;

    /**
     * @param caFile the CA certificates (PEM) a {@code rediss://} server must chain to, or {@code null}
     *               for the JVM's default CAs; the server's certificate must name the URL's host either way
     */
    public static RedisTarget parse(String url, String password, Path caFile) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("WASMORCH_REDIS_URL: not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException(
                    "WASMORCH_REDIS_URL: expected redis:// or rediss://, got " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("WASMORCH_REDIS_URL: no host in the URL");
        }
        String user = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts[0].isEmpty() ? null : decode(parts[0]);
            urlPassword = parts.length > 1 ? decode(parts[1]) : null;
        }
        int db = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("WASMORCH_REDIS_URL: database index must be a number, got " + path);
            }
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        boolean tls = "rediss".equals(scheme);
        if (caFile != null && !tls) {
            throw new IllegalArgumentException(
                    "WASMORCH_REDIS_CA_FILE is for TLS, but WASMORCH_REDIS_URL is not rediss://");
        }
        var config = DefaultJedisClientConfig.builder()
                .user(user)
                .password(password != null ? password : urlPassword)
                .database(db)
                .ssl(tls)
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .clientName("wasmorch-shim");
        if (tls) {
            config.sslParameters(RedisTls.verifyingHostName());
            if (caFile != null) {
                config.sslSocketFactory(RedisTls.trusting(caFile));
            }
        }
        return new RedisTarget(
                new HostAndPort(uri.getHost(), port),
                config.build(),
                scheme + "://" + uri.getHost() + ":" + port + "/" + db);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
