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
 * Entry point the launcher ({@code bin/containerd-shim-wasmorch-v1}) calls:
 * <pre>
 *   daemon -socket PATH -namespace NS -ttrpc-address ADDR [-pid-file PATH]   run the node's shim daemon
 *   delete -socket PATH -namespace NS -id ID [-bundle PATH]    containerd's delete subcommand
 * </pre>
 * The launcher itself answers containerd's {@code start} (it prints the daemon's address), so no
 * JVM starts on a container's start path once the daemon runs.
 */
public final class ShimMain {

    private ShimMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no subcommand");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "daemon" -> daemon(Flags.parse(rest, Set.of("socket", "namespace", "ttrpc-address", "pid-file")));
                case "delete" -> {
                    Flags f = Flags.parse(rest, Set.of("socket", "namespace", "id", "bundle"));
                    String bundle = f.optional("bundle");
                    new DeleteCommand(Clock.systemUTC()).run(Path.of(f.required("socket")), f.required("namespace"),
                            f.required("id"), bundle.isEmpty() ? null : Path.of(bundle), System.out, System.err);
                }
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
        // the app side writes its lifecycle lines to stderr too: one stream, the daemon's log
        AppRunner apps = new AppRunner(settings);
        TaskManager tasks = new TaskManager(new WasmWorkloads(apps), events,
                new LifecycleLog(System.err::println, settings.nodeName()), clock, (int) ProcessHandle.current().pid());
        ShimDaemon daemon = new ShimDaemon(socket, flags.required("namespace"), tasks, List.of(events, apps));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.close();
            } catch (Exception e) {
                System.err.println("wasmorch-shim: shutdown: " + e);
            }
            stopped.countDown();
        }, "shutdown"));
        // before the socket is bound: the launcher's first start waits for this once, and no task's
        // ModuleCompiled ever includes loading the WebAssembly compiler
        AppRunner.warmUp();
        daemon.start(pidFile.isEmpty() ? null : Path.of(pidFile));
        System.err.println("wasmorch-shim daemon " + ProcessHandle.current().pid() + " serving on " + socket);
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("wasmorch-shim: " + problem);
        System.err.println("usage: ShimMain daemon -socket PATH -namespace NS -ttrpc-address ADDR [-pid-file PATH]");
        System.err.println("       ShimMain delete -socket PATH -namespace NS -id ID [-bundle PATH]");
        System.exit(2);
    }
}
