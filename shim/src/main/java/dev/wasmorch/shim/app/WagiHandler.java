package dev.wasmorch.shim.app;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wasmorch.shim.task.WorkloadException;
import dev.wasmorch.shim.task.WorkloadStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves HTTP requests by routing them to a component and running it as WAGI: CGI variables in the
 * environment, body on stdin, CGI response on stdout, in a fresh instance per request. Enforces the
 * request time limit (the running module is interrupted, the client gets 504) and reports failures
 * (trap, memory limit, bad CGI output) as 500 with a line in the container's stderr. One request's
 * failure never touches another: nothing is shared between invocations but the compiled code. A
 * request runs only on one of the app's {@link Workers}; one that gets none within the queue limit is
 * answered 503.
 */
final class WagiHandler implements HttpHandler {

    /** CPU time of the thread serving a request (clock_gettime of the thread's CPU clock, no /proc read). */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Largest request body accepted (413 above). */
    static final int MAX_BODY = 16 << 20;
    /** Largest module output accepted (500 above). */
    static final int MAX_RESPONSE = 16 << 20;
    /** What a refused client is told to wait: a worker's time is unknown, a retry soon is cheap to refuse. */
    private static final String RETRY_AFTER_SECONDS = "1";
    /** 1 MiB in pages: a failed run this close to the cap is reported as hitting the memory limit. */
    private static final int MEMORY_SLACK_PAGES = 16;

    /** What the handler needs of each component besides its compiled module. */
    record Target(WasmComponent module, Map<String, String> environment, Map<String, Path> preopens, HttpGrant http) {}

    private final Router router;
    /** Replaced whole by {@link #limitMemory} (a task's Update); a request uses the map it started with. */
    private volatile Map<String, Target> targets;

    private final Map<String, String> containerEnv;
    private final Duration timeout;
    private final OutboundLimits outbound;
    private final OutboundClient client;
    private final Workers workers;
    private final ScheduledExecutorService watchdog;
    private final OutputStream stderr;
    private final Runnable onFirstSuccess;
    /** Requests being handled; guarded by itself, notified when it drops to zero. */
    private final int[] inFlight = {0};

    private volatile int localPort;
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder memoryLimitHits = new LongAdder();
    private final LiveMemory live = new LiveMemory();

    WagiHandler(
            Router router,
            Map<String, Target> targets,
            Map<String, String> containerEnv,
            Duration timeout,
            OutboundLimits outbound,
            OutboundClient client,
            Workers workers,
            ScheduledExecutorService watchdog,
            OutputStream stderr,
            Runnable onFirstSuccess) {
        this.router = router;
        this.targets = targets;
        this.containerEnv = containerEnv;
        this.timeout = timeout;
        this.outbound = outbound;
        this.client = client;
        this.workers = workers;
        this.watchdog = watchdog;
        this.stderr = stderr;
        this.onFirstSuccess = onFirstSuccess;
    }

    /** Releases what the app's requests shared: its outbound HTTP client. */
    void close() {
        client.close();
    }

    void localPort(int port) {
        this.localPort = port;
    }

    /**
     * Lowers or raises every component's per-instance memory cap; requests already running keep the
     * cap they started with.
     *
     * @throws WorkloadException {@code memory_limit} if a module needs more memory at start than the cap
     */
    void limitMemory(long maxMemoryBytes) throws WorkloadException {
        Map<String, Target> updated = new LinkedHashMap<>();
        for (var e : targets.entrySet()) {
            Target t = e.getValue();
            updated.put(
                    e.getKey(), new Target(t.module().capped(maxMemoryBytes), t.environment(), t.preopens(), t.http()));
        }
        targets = updated;
    }

    /** What the app has used; at most {@link Workers#count()} requests hold an instance at once. */
    WorkloadStats stats() {
        long cap = 0;
        long code = 0;
        for (Target t : targets.values()) {
            cap = Math.max(cap, (long) t.module().maxPages() * com.dylibso.chicory.runtime.Memory.PAGE_SIZE);
            code += t.module().codeBytes();
        }
        return new WorkloadStats(
                cpuNanos.sum(), live.bytes(), code, workers.count() * cap, memoryLimitHits.sum(), workers.refused());
    }

    /** Requests being handled right now. */
    int inFlight() {
        synchronized (inFlight) {
            return inFlight[0];
        }
    }

    /**
     * Waits until no request is being handled, at most {@code max}.
     *
     * @return whether none is
     */
    boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (inFlight) {
            for (long left = max.toNanos(); inFlight[0] > 0 && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(inFlight, left);
            }
            return inFlight[0] == 0;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        synchronized (inFlight) {
            inFlight[0]++;
        }
        try {
            serve(exchange);
        } finally {
            synchronized (inFlight) {
                if (--inFlight[0] == 0) {
                    inFlight.notifyAll();
                }
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            var uri = exchange.getRequestURI();
            var entry = router.route(uri.getRawPath() == null ? "/" : uri.getRawPath());
            if (entry.isEmpty()) {
                send(exchange, 404, "Not Found\n");
                return;
            }
            // before the body is read: requests waiting for a worker hold no bodies in memory
            Optional<String> refusal = workers.take();
            if (refusal.isPresent()) {
                exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
                send(exchange, 503, "Service Unavailable: " + refusal.get() + "\n");
                return;
            }
            try {
                serveOnWorker(exchange, entry.get());
            } finally {
                workers.release();
            }
        }
    }

    /** Runs the routed request's module; the caller holds a worker. */
    private void serveOnWorker(HttpExchange exchange, Router.Entry entry) throws IOException {
        var uri = exchange.getRequestURI();
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            send(exchange, 413, "Request body larger than " + MAX_BODY + " bytes\n");
            return;
        }
        var route = entry.route();
        Map<String, Target> current = targets;
        Target target = current.get(route.component());
        Map<String, String> env = new LinkedHashMap<>(containerEnv);
        env.putAll(target.environment());
        env.putAll(CgiEnvironment.build(
                exchange.getRequestMethod(),
                uri,
                exchange.getRequestHeaders(),
                body.length,
                exchange.getRemoteAddress(),
                localPort,
                entry));
        BoundedOutput stdout = new BoundedOutput(MAX_RESPONSE);
        long started = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        WasmComponent.Outcome outcome = runWithTimeLimit(
                route.component(),
                target,
                env,
                body,
                stdout,
                route.wagi().argv(),
                uri,
                route.wagi().entrypoint());
        cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu);
        respond(exchange, route.component(), target, outcome, stdout, System.nanoTime() - started);
    }

    private WasmComponent.Outcome runWithTimeLimit(
            String component,
            Target target,
            Map<String, String> env,
            byte[] body,
            BoundedOutput stdout,
            String argv,
            java.net.URI uri,
            String entrypoint) {
        Thread worker = Thread.currentThread();
        Object lock = new Object();
        boolean[] finished = {false};
        // The watchdog may only interrupt while this invocation still runs; the lock closes the race
        // between "module finished" and "time is up" so no stray interrupt hits the next request.
        var alarm = watchdog.schedule(
                () -> {
                    synchronized (lock) {
                        if (!finished[0]) {
                            worker.interrupt();
                        }
                    }
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        try {
            return target.module()
                    .run(
                            CgiEnvironment.argv(argv, uri),
                            env,
                            target.preopens(),
                            new ByteArrayInputStream(body),
                            stdout,
                            stderr,
                            entrypoint,
                            live,
                            new OutboundHttp(
                                    target.http(),
                                    outbound,
                                    client,
                                    line -> diagnostic("component " + component + ": " + line)));
        } finally {
            synchronized (lock) {
                finished[0] = true;
            }
            alarm.cancel(false);
            Thread.interrupted();
        }
    }

    private void respond(
            HttpExchange exchange,
            String component,
            Target target,
            WasmComponent.Outcome outcome,
            BoundedOutput stdout,
            long nanos)
            throws IOException {
        String took = String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
        if (isInterruption(outcome.failure())) {
            diagnostic("component " + component + ": request time limit of " + timeout.toMillis()
                    + " ms exceeded; module interrupted after " + took);
            send(exchange, 504, "Request time limit exceeded\n");
            return;
        }
        if (outcome.failure() != null || outcome.exitCode() != 0) {
            int max = target.module().maxPages();
            String memory = "linear memory " + outcome.memoryPages() + " of " + max + " pages ("
                    + WasmComponent.mib(outcome.memoryPages()) + " of " + WasmComponent.mib(max) + ")";
            // A failed memory.grow leaves the instance within one allocation of its cap.
            boolean atLimit = max > 0 && outcome.memoryPages() + MEMORY_SLACK_PAGES >= max;
            String cause = outcome.failure() != null
                    ? "trapped: " + outcome.failure().getMessage()
                    : "exited with status " + outcome.exitCode();
            diagnostic("component " + component + ": request failed after " + took + ": " + cause + "; " + memory
                    + (atLimit ? "; memory limit reached" : ""));
            if (atLimit) {
                memoryLimitHits.increment();
            }
            send(exchange, 500, atLimit ? "Memory limit exceeded\n" : "Internal Server Error\n");
            return;
        }
        if (stdout.exceeded()) {
            diagnostic("component " + component + ": response larger than " + MAX_RESPONSE + " bytes");
            send(exchange, 500, "Internal Server Error\n");
            return;
        }
        CgiResponse response;
        try {
            response = CgiResponse.parse(stdout.toByteArray());
        } catch (CgiResponse.Malformed e) {
            diagnostic("component " + component + ": " + e.getMessage());
            send(exchange, 500, "Internal Server Error\n");
            return;
        }
        response.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        writeBody(exchange, response.status(), response.body());
        onFirstSuccess.run();
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ChicoryInterruptedException || c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private void diagnostic(String message) {
        byte[] line = ("wasmorch-shim: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            stderr.write(line);
            stderr.flush();
        } catch (IOException e) {
            System.err.print(new String(line, StandardCharsets.UTF_8));
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        writeBody(exchange, status, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A HEAD answer and an empty body carry no body bytes (the JDK server wants length -1 then). */
    private static void writeBody(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }
}
