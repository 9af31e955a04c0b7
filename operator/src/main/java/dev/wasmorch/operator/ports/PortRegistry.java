package dev.wasmorch.operator.ports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.registry.PortFields;
import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.contract.registry.RedisTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Reads the ports the shim publishes (contract/port-registry.md). Values come from the network and are
 * treated as untrusted: every registration is validated and a bad one is reported with its key.
 */
public final class PortRegistry implements AutoCloseable {
    private static final Pattern IPV4 =
            Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern HEX_COLON = Pattern.compile("^[0-9A-Fa-f:.]+$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JedisPooled jedis;
    private final String display;

    public PortRegistry(RedisSettings settings) {
        JedisClientConfig config = clientConfig(settings);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        // A connection broken by a Redis restart is found on borrow instead of failing a lookup.
        pool.setTestOnBorrow(true);
        pool.setMaxTotal(16);
        this.jedis = new JedisPooled(pool, JedisURIHelper.getHostAndPort(settings.url()), config);
        this.display = settings.display();
    }

    /** How Jedis connects: credentials, database, timeouts, and for rediss:// TLS that checks the host name. */
    static JedisClientConfig clientConfig(RedisSettings settings) {
        int timeoutMillis = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(settings.url()))
                .password(
                        settings.password() != null ? settings.password() : JedisURIHelper.getPassword(settings.url()))
                .database(JedisURIHelper.getDBIndex(settings.url()))
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("wasmorch-operator");
        if (settings.tls()) {
            config.ssl(true).sslParameters(RedisTls.verifyingHostName());
            if (settings.caFile() != null) {
                config.sslSocketFactory(RedisTls.trusting(settings.caFile()));
            }
        }
        return config.build();
    }

    /**
     * The port of one container: the pod-keyed entry first, then the container-ID entry (tasks the
     * shim could not attribute to a pod).
     *
     * @param containerId the runtime's ID without the {@code containerd://} prefix; may be null
     */
    public Optional<PortRegistration> lookup(String namespace, String pod, String container, String containerId)
            throws PortRegistryUnavailableException, InvalidPortRegistrationException {
        String podKey = PortKeys.byPod(namespace, pod, container);
        Optional<PortRegistration> byPod = read(podKey);
        if (byPod.isPresent() || containerId == null || containerId.isEmpty()) {
            return byPod;
        }
        return read(PortKeys.byContainerId(containerId));
    }

    private Optional<PortRegistration> read(String key)
            throws PortRegistryUnavailableException, InvalidPortRegistrationException {
        String value;
        try {
            value = jedis.get(key);
        } catch (JedisException e) {
            throw new PortRegistryUnavailableException(
                    "port registry " + display + " unavailable: " + e.getMessage(), e);
        }
        return value == null ? Optional.empty() : Optional.of(parse(key, value));
    }

    static PortRegistration parse(String key, String value) throws InvalidPortRegistrationException {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidPortRegistrationException("Redis key " + key + ": not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidPortRegistrationException("Redis key " + key + ": expected a JSON object");
        }
        JsonNode port = node.get(PortFields.PORT);
        if (port == null
                || !port.canConvertToInt()
                || !port.isIntegralNumber()
                || port.intValue() < 1
                || port.intValue() > 65535) {
            throw new InvalidPortRegistrationException("Redis key " + key
                    + ": field port must be an integer 1..65535, got " + (port == null ? "nothing" : port.toString()));
        }
        JsonNode hostIp = node.get(PortFields.HOST_IP);
        String ip = hostIp == null || hostIp.isNull() || hostIp.asText().isEmpty() ? null : hostIp.asText();
        if (ip != null && !isIpLiteral(ip)) {
            throw new InvalidPortRegistrationException(
                    "Redis key " + key + ": field hostIp is not an IP address: " + ip);
        }
        return new PortRegistration(
                key,
                port.intValue(),
                ip,
                text(key, node, PortFields.NAMESPACE),
                text(key, node, PortFields.POD),
                text(key, node, PortFields.CONTAINER),
                text(key, node, PortFields.CONTAINER_ID));
    }

    /** An optional string field: null when absent or null, refused when of another type. */
    private static String text(String key, JsonNode node, String field) throws InvalidPortRegistrationException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPortRegistrationException(
                    "Redis key " + key + ": field " + field + " must be a string, got " + value);
        }
        return value.asText();
    }

    /** True for IPv4 and IPv6 literals; never resolves names (the value is untrusted). */
    public static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (!s.contains(":") || !HEX_COLON.matcher(s).matches()) {
            return false;
        }
        try {
            // With a colon and only hex digits, getByName parses a literal and does no lookup.
            return InetAddress.getByName(s) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        jedis.close();
    }

    /** For log lines. */
    @Override
    public String toString() {
        return "PortRegistry[" + display + "]";
    }
}
