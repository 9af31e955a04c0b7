package dev.wasmorch.shim.daemon;

import dev.wasmorch.shim.app.AppRunner;
import dev.wasmorch.shim.app.ShimSettings;
import dev.wasmorch.shim.task.LifecycleLog;
import dev.wasmorch.shim.task.TaskManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point the launcher ({@code src/main/c/launcher.c}) starts when no daemon runs:
 * <pre>
 *   daemon -socket PATH -namespace NS -ttrpc-address ADDR [-pid-file PATH]   run the node's shim daemon
 * </pre>
 * The launcher itself answers containerd's {@code start} (it prints the daemon's address) and
 * {@code delete} (TTRPC calls to the daemon), so no JVM starts on a container's start or delete
 * path once the daemon runs.
 */
public final class ShimMain {

    /**
     * Rounds of the internal warm-up app run in the background once the daemon serves: enough for
     * the JIT's first tier (after ~200 calls) to compile the start and request path.
     */
    static final int BACKGROUND_WARM_UP_ROUNDS = 300;
    /** Starts the daemon log's line saying the background warm-up finished. */
    public static final String WARM_UP_DONE = "wasmorch-shim: background warm-up done:";

    private ShimMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no subcommand");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            if (!args[0].equals("daemon")) {
                usage("unknown subcommand " + args[0]);
            }
            daemon(Flags.parse(rest, Set.of("socket", "namespace", "ttrpc-address", "pid-file")));
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
    }

    private static void daemon(Flags flags) throws Exception {
        Path socket = Path.of(flags.required("socket"));
        String pidFile = flags.optional("pid-file");
        Clock clock = Clock.systemUTC();
        ForwardingEventPublisher events = new ForwardingEventPublisher(flags.required("ttrpc-address"), clock);
        ShimSettings settings = ShimSettings.fromEnv();
        // lifecycle lines of both sides go to stderr too: one stream, the daemon's log
        LifecycleLog lifecycle = new LifecycleLog(System.err::println, clock, settings.nodeName());
        AppRunner apps = new AppRunner(settings, lifecycle);
        TaskManager tasks = new TaskManager(
                apps, events, lifecycle, clock, (int) ProcessHandle.current().pid());
        ShimDaemon daemon = new ShimDaemon(socket, flags.required("namespace"), tasks, List.of(events, apps));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                daemon.close();
                            } catch (Exception e) {
                                System.err.println("wasmorch-shim: shutdown: " + e);
                            }
                            stopped.countDown();
                        },
                        "shutdown"));
        // One round before the socket is bound: the launcher's first start waits for it once, and no
        // task's start includes loading the WebAssembly compiler and the app classes (seconds on a cold
        // JVM). The JIT's part runs in the background: on the first container's path it would cost
        // seconds to save tens of milliseconds.
        apps.warmUp(1);
        daemon.start(pidFile.isEmpty() ? null : Path.of(pidFile));
        System.err.println("wasmorch-shim daemon " + ProcessHandle.current().pid() + " serving on " + socket);
        Thread jit = new Thread(
                () -> {
                    try {
                        long t0 = System.nanoTime();
                        apps.warmUp(BACKGROUND_WARM_UP_ROUNDS);
                        System.err.printf(
                                java.util.Locale.ROOT,
                                "%s %d rounds in %.0f ms%n",
                                WARM_UP_DONE,
                                BACKGROUND_WARM_UP_ROUNDS,
                                (System.nanoTime() - t0) / 1e6);
                    } catch (RuntimeException e) {
                        System.err.println("wasmorch-shim: background warm-up stopped: " + e.getMessage());
                    }
                },
                "wasmorch-warm-up");
        jit.setDaemon(true);
        jit.setPriority(Thread.MIN_PRIORITY);
        jit.start();
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("wasmorch-shim: " + problem);
        System.err.println("usage: ShimMain daemon -socket PATH -namespace NS -ttrpc-address ADDR [-pid-file PATH]");
        System.exit(2);
    }
}
