package dev.wasmorch.shim.app;

import dev.wasmorch.contract.registry.PortKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The shim's settings for running apps, read from the environment containerd starts the shim with.
 * Nothing here is compiled in: Redis location and credentials come from the environment only.
 *
 * @param redisUrl       {@code WASMORCH_REDIS_URL}, default {@code redis://127.0.0.1:6379}; may carry
 *                       {@code user:password@} and a database index path ({@code /2})
 * @param redisPassword  {@code WASMORCH_REDIS_PASSWORD}, or {@code null}; wins over a password in the URL
 * @param redisCaFile    {@code WASMORCH_REDIS_CA_FILE}: PEM file of the CA certificates a {@code rediss://}
 *                       server must chain to, or {@code null} for the JVM's default CAs
 * @param hostIp         {@code WASMORCH_HOST_IP}: the address to listen on and to publish; {@code null}
 *                       = listen on all addresses and publish the node's primary address
 * @param maxMemoryBytes {@code WASMORCH_MAX_MEMORY} (bytes, or with suffix {@code Ki Mi Gi}), default
 *                       128Mi: the most linear memory one module instance may grow to
 * @param requestTimeout {@code WASMORCH_REQUEST_TIMEOUT} (ISO-8601 {@code PT5S} or seconds {@code 5}),
 *                       default 30 s: after it a request's module is interrupted and answered 504
 * @param nodeName       {@code WASMORCH_NODE_NAME} (the Kubernetes node name), default the host name;
 *                       written as {@code node} in the registration and {@code host} in log lines.
 *                       Added to the agreed interface; the 5-argument constructor fills it in.
 * @param concurrency    {@code WASMORCH_WORKERS} and {@code WASMORCH_QUEUE_TIMEOUT}: the node's default
 *                       workers per app and queue limit, which an app's container environment overrides;
 *                       default {@link AppConcurrency#DEFAULT}
 * @param outboundHttp   {@code WASMORCH_HTTP_TIMEOUT} (as the request timeout), {@code WASMORCH_HTTP_MAX_RESPONSE}
 *                       (as the memory size) and {@code WASMORCH_HTTP_SESSIONS}: the limits on a module's
 *                       outbound HTTP requests, default {@link OutboundLimits#DEFAULT} (10 s, 16Mi, 8)
 * @param moduleStore    {@code WASMORCH_MODULE_STORE}: the directory where the node keeps the modules that
 *                       ran, compiled again by the next daemon ahead of their pods ({@link ModuleStore});
 *                       default {@value #DEFAULT_MODULE_STORE}, {@code off} for none; {@code null} = none
 */
public record ShimSettings(
        String redisUrl,
        String redisPassword,
        Path redisCaFile,
        String hostIp,
        long maxMemoryBytes,
        Duration requestTimeout,
        String nodeName,
        AppConcurrency concurrency,
        OutboundLimits outboundHttp,
        Path moduleStore) {

    public static final String DEFAULT_REDIS_URL = PortKeys.DEFAULT_URL;
    public static final long DEFAULT_MAX_MEMORY = 128L << 20;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Persistent, unlike the daemon's sockets under /run: it must outlive the node's reboot. */
    public static final String DEFAULT_MODULE_STORE = "/var/lib/wasmorch-shim/modules";
    /** WebAssembly 32-bit linear memory cannot exceed 65536 pages of 64 KiB. */
    static final long WASM32_MAX_BYTES = 65536L * 65536L;

    public ShimSettings {
        redisUrl = redisUrl == null || redisUrl.isBlank() ? DEFAULT_REDIS_URL : redisUrl;
        redisPassword = redisPassword == null || redisPassword.isEmpty() ? null : redisPassword;
        hostIp = hostIp == null || hostIp.isBlank() ? null : hostIp;
        if (maxMemoryBytes < 65536) {
            throw new IllegalArgumentException(
                    "maxMemoryBytes must be at least one 64 KiB page, got " + maxMemoryBytes);
        }
        maxMemoryBytes = Math.min(maxMemoryBytes, WASM32_MAX_BYTES);
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        nodeName = nodeName == null || nodeName.isBlank() ? localHostName() : nodeName;
        concurrency = concurrency == null ? AppConcurrency.DEFAULT : concurrency;
        outboundHttp = outboundHttp == null ? OutboundLimits.DEFAULT : outboundHttp;
        if (moduleStore != null && !moduleStore.isAbsolute()) {
            throw new IllegalArgumentException("moduleStore must be an absolute path, got " + moduleStore);
        }
    }

    /** Settings with the default {@link AppConcurrency} and {@link OutboundLimits}. */
    public ShimSettings(
            String redisUrl,
            String redisPassword,
            String hostIp,
            long maxMemoryBytes,
            Duration requestTimeout,
            String nodeName) {
        this(redisUrl, redisPassword, null, hostIp, maxMemoryBytes, requestTimeout, nodeName, null, null, null);
    }

    /** The interface agreed with the containerd side; the node name defaults to the host name. */
    public ShimSettings(
            String redisUrl, String redisPassword, String hostIp, long maxMemoryBytes, Duration requestTimeout) {
        this(redisUrl, redisPassword, hostIp, maxMemoryBytes, requestTimeout, null);
    }

    /** Reads the settings from the process environment. */
    public static ShimSettings fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Reads the settings from the given environment.
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be read
     */
    public static ShimSettings fromEnv(Map<String, String> env) {
        return new ShimSettings(
                env.get(PortKeys.URL_ENV),
                env.get(PortKeys.PASSWORD_ENV),
                Optional.ofNullable(blankToNull(env.get(PortKeys.CA_FILE_ENV)))
                        .map(Path::of)
                        .orElse(null),
                env.get("WASMORCH_HOST_IP"),
                parseBytes("WASMORCH_MAX_MEMORY", env.get("WASMORCH_MAX_MEMORY")),
                parseDuration("WASMORCH_REQUEST_TIMEOUT", env.get("WASMORCH_REQUEST_TIMEOUT"), DEFAULT_REQUEST_TIMEOUT),
                env.get("WASMORCH_NODE_NAME"),
                AppConcurrency.from(env, AppConcurrency.DEFAULT),
                outboundLimits(env),
                moduleStore(env.get("WASMORCH_MODULE_STORE")));
    }

    private static Path moduleStore(String value) {
        if (value == null || value.isBlank()) {
            return Path.of(DEFAULT_MODULE_STORE);
        }
        String v = value.trim();
        if (v.equals("off")) {
            return null;
        }
        if (!v.startsWith("/")) {
            throw new IllegalArgumentException(
                    "WASMORCH_MODULE_STORE: expected an absolute directory or off, got '" + value + "'");
        }
        return Path.of(v);
    }

    private static OutboundLimits outboundLimits(Map<String, String> env) {
        OutboundLimits d = OutboundLimits.DEFAULT;
        String sessions = env.get("WASMORCH_HTTP_SESSIONS");
        String maxResponse = env.get("WASMORCH_HTTP_MAX_RESPONSE");
        long bytes = maxResponse == null || maxResponse.isBlank()
                ? d.maxResponseBytes()
                : parseBytes("WASMORCH_HTTP_MAX_RESPONSE", maxResponse);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("WASMORCH_HTTP_MAX_RESPONSE: at most 2Gi, got '" + maxResponse + "'");
        }
        int count;
        try {
            count = sessions == null || sessions.isBlank() ? d.maxSessions() : Integer.parseInt(sessions.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WASMORCH_HTTP_SESSIONS: expected a count, got '" + sessions + "'");
        }
        return new OutboundLimits(
                parseDuration("WASMORCH_HTTP_TIMEOUT", env.get("WASMORCH_HTTP_TIMEOUT"), d.timeout()),
                (int) bytes,
                count);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    static long parseBytes(String name, String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_MEMORY;
        }
        String v = value.trim();
        long unit = 1;
        for (String[] suffix : new String[][] {{"Ki", "10"}, {"Mi", "20"}, {"Gi", "30"}}) {
            if (v.endsWith(suffix[0])) {
                unit = 1L << Integer.parseInt(suffix[1]);
                v = v.substring(0, v.length() - 2);
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    name + ": expected bytes (e.g. 134217728 or 128Mi), got '" + value + "'");
        }
    }

    /** Seconds ({@code 2.5}) or ISO-8601 ({@code PT2.5S}); {@code fallback} when not set. */
    static Duration parseDuration(String name, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        try {
            if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
                return Duration.parse(v);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + ": expected seconds (e.g. 30 or 0.5) or ISO-8601 (PT30S), got '" + value + "'");
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
