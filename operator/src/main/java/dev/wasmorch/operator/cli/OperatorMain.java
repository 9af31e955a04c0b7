package dev.wasmorch.operator.cli;

import dev.wasmorch.operator.ports.RedisSettings;
import dev.wasmorch.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wasmorch operator}: runs the WasmApp operator against the cluster of the current
 * kubeconfig (or, inside a pod, its service account) until interrupted.
 */
@Command(
    name = "wasmorch operator",
    mixinStandardHelpOptions = true,
    description = "Runs the WasmApp operator. Kubernetes access comes from KUBECONFIG/~/.kube/config or the in-cluster service account.")
public final class OperatorMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  @Option(names = {"-n", "--namespace"}, description = "Namespace to watch; repeat for several. Default: all namespaces.")
  private List<String> namespaces = List.of();

  @Option(names = "--redis-url", description = "Port registry, redis://[user:pass@]host:port[/db]. Default: $" + RedisSettings.URL_ENV + ", else " + RedisSettings.DEFAULT_URL + ".")
  private String redisUrl;

  @Option(names = "--redis-password-file", description = "File holding the Redis password (e.g. a mounted Secret). Default: $" + RedisSettings.PASSWORD_ENV + ".")
  private Path redisPasswordFile;

  @Option(names = "--redis-timeout", defaultValue = "PT1S", description = "Redis connect/read timeout (ISO-8601). Default: ${DEFAULT-VALUE}.")
  private Duration redisTimeout;

  @Option(names = "--resync", defaultValue = "PT30S", description = "Longest time between two reconciliations of one app. Default: ${DEFAULT-VALUE}.")
  private Duration resync;

  @Option(names = "--retry-initial", defaultValue = "PT1S", description = "First retry delay after a failure; doubles each time. Default: ${DEFAULT-VALUE}.")
  private Duration retryInitial;

  @Option(names = "--retry-max", defaultValue = "PT60S", description = "Longest retry delay. Default: ${DEFAULT-VALUE}.")
  private Duration retryMax;

  @Option(names = "--threads", defaultValue = "10", description = "Concurrent reconciliations. Default: ${DEFAULT-VALUE}.")
  private int threads;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    RedisSettings redis = redisSettings();
    String instance = System.getenv().getOrDefault("POD_NAME", java.net.InetAddress.getLocalHost().getHostName());
    KubernetesClient client = new KubernetesClientBuilder().build();
    LOG.info("wasmorch operator {} on {}, port registry {}, watching {}", instance, client.getMasterUrl(), redis.display(),
        namespaces.isEmpty() ? "all namespaces" : namespaces);
    CountDownLatch stopped = new CountDownLatch(1);
    try (OperatorRuntime runtime =
        OperatorRuntime.start(client,
            new OperatorRuntime.Settings(new LinkedHashSet<>(namespaces), redis, resync, retryInitial, retryMax, threads, instance),
            Metrics.NOOP)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "wasmorch-operator-shutdown"));
      LOG.info("operator started; Ctrl-C stops it");
      stopped.await();
    } catch (OperatorException e) {
      LOG.error("could not start against the API server {}: {} (is the CRD installed and the kubeconfig right?)",
          client.getMasterUrl(), rootCause(e));
      return 1;
    } finally {
      client.close();
    }
    return 0;
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  private RedisSettings redisSettings() throws java.io.IOException {
    String password = System.getenv(RedisSettings.PASSWORD_ENV);
    if (redisPasswordFile != null) {
      password = Files.readString(redisPasswordFile, StandardCharsets.UTF_8).strip();
    }
    if (redisUrl != null) {
      return RedisSettings.parse(redisUrl, password, redisTimeout, "--redis-url");
    }
    String url = System.getenv().getOrDefault(RedisSettings.URL_ENV, RedisSettings.DEFAULT_URL);
    return RedisSettings.parse(url, password, redisTimeout, RedisSettings.URL_ENV);
  }
}
