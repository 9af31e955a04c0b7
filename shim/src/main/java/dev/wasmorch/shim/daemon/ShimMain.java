package dev.wasmorch.shim.daemon;

import dev.wasmorch.shim.app.AppRunner;
import dev.wasmorch.shim.app.ShimSettings;
import dev.wasmorch.shim.registry.PortRegistry;
import dev.wasmorch.shim.registry.RedisTarget;
import dev.wasmorch.shim.task.LifecycleLog;
import dev.wasmorch.shim.task.TaskManager;
import dev.wasmorch.shim.task.ThreadNice;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point the launcher ({@code src/main/c/launcher.c}) starts when no daemon runs:
 * <pre>
 *   daemon -socket PATH -namespace NS -ttrpc-address ADDR [-pid-file PATH]   run the node's shim daemon
 *   warm-up [-rounds N]   run the internal app N times (default 1) and exit: the class list of the
 *                         daemon's class-data sharing archive is recorded from it (bin/build-cds)
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
    /**
     * Compilations of the warm-up's C module before those rounds: after 40 of them a module of the
     * study's functions (prime_numbers.wasm) parsed and compiled in 8 + 24 ms here, against
     * 94 + 273 ms on a cold compiler; the 40 took 2.0-2.2 s of one core in a fresh JVM.
     */
    static final int COMPILER_WARM_UP_ROUNDS = 40;
    /** The longest the daemon's start looks for its predecessor's registrations in Redis. */
    static final Duration STALE_SWEEP = Duration.ofSeconds(5);
    /** Starts the daemon log's line saying the background warm-up finished. */
    public static final String WARM_UP_DONE = "wasmorch-shim: background warm-up done:";

    private ShimMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no subcommand");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "daemon" -> daemon(Flags.parse(rest, Set.of("socket", "namespace", "ttrpc-address", "pid-file")));
                case "warm-up" -> warmUp(Flags.parse(rest, Set.of("rounds")));
                default -> usage("unknown subcommand " + args[0]);
            }
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
        // Before any app of this daemon publishes: every entry naming this daemon is a predecessor's.
        String shim = settings.nodeName() + ":" + socket;
        PortRegistry registry = new PortRegistry(
                RedisTarget.parse(settings.redisUrl(), settings.redisPassword(), settings.redisCaFile()), shim);
        int stale = registry.removeStale(STALE_SWEEP);
        if (stale > 0) {
            System.err.println("wasmorch-shim: removed " + stale
                    + " port registration(s) an earlier daemon left in Redis (shim " + shim + ")");
        }
        AppRunner apps = new AppRunner(settings, lifecycle, registry);
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
        // One round, and one pod's task calls, before the socket is bound: the launcher's first start
        // waits for them once, and no task's start includes loading the WebAssembly compiler, the app
        // classes and the task side's (seconds on a cold JVM). The JIT's part runs in the background:
        // on the first container's path it would cost seconds to save tens of milliseconds.
        apps.warmUp(1);
        apps.warmUpTasks();
        daemon.start(pidFile.isEmpty() ? null : Path.of(pidFile));
        System.err.println("wasmorch-shim daemon " + ProcessHandle.current().pid() + " serving on " + socket);
        Thread jit = new Thread(
                () -> {
                    // A pod that arrives stops the warm-up after the round in progress; at the lowest
                    // nice value that round, and the whole warm-up, yields the CPU to the pod's calls
                    // and to the node's other work.
                    String keepsPriority = ThreadNice.lowerThisThread();
                    if (keepsPriority != null) {
                        System.err.println("wasmorch-shim: background warm-up at normal priority: " + keepsPriority);
                    }
                    try {
                        long t0 = System.nanoTime();
                        int stored = apps.precompileStoredUntilATaskArrives();
                        int compiles = apps.warmUpCompilerUntilATaskArrives(COMPILER_WARM_UP_ROUNDS);
                        int rounds = apps.warmUpUntilATaskArrives(BACKGROUND_WARM_UP_ROUNDS);
                        System.err.printf(
                                Locale.ROOT,
                                "%s %d stored module(s) compiled, %d of %d compiler rounds, %d of %d rounds in %.0f ms%s%n",
                                WARM_UP_DONE,
                                stored,
                                compiles,
                                COMPILER_WARM_UP_ROUNDS,
                                rounds,
                                BACKGROUND_WARM_UP_ROUNDS,
                                (System.nanoTime() - t0) / 1e6,
                                rounds < BACKGROUND_WARM_UP_ROUNDS ? " (stopped: a task arrived)" : "");
                    } catch (RuntimeException e) {
                        System.err.println("wasmorch-shim: background warm-up stopped: " + e.getMessage());
                    }
                },
                "wasmorch-warm-up");
        jit.setDaemon(true);
        jit.start();
        stopped.await();
    }

    private static void warmUp(Flags flags) {
        String rounds = flags.optional("rounds");
        int n = rounds.matches("[1-9][0-9]{0,5}") ? Integer.parseInt(rounds) : 0;
        if (!rounds.isEmpty() && n == 0) {
            throw new IllegalArgumentException("flag -rounds must be a number from 1 to 999999, not " + rounds);
        }
        n = Math.max(n, 1);
        try (AppRunner apps = new AppRunner(ShimSettings.fromEnv(), LifecycleLog.discarding())) {
            apps.warmUp(n);
        }
    }

    private static void usage(String problem) {
        System.err.println("wasmorch-shim: " + problem);
        System.err.println("usage: ShimMain daemon -socket PATH -namespace NS -ttrpc-address ADDR [-pid-file PATH]");
        System.err.println("       ShimMain warm-up [-rounds N]");
        System.exit(2);
    }
}
