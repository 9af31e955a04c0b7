package dev.wasmorch.shim.daemon;

import dev.wasmorch.shim.proto.DeleteResponse;
import dev.wasmorch.shim.proto.KillRequest;
import dev.wasmorch.shim.proto.TaskRequest;
import dev.wasmorch.shim.task.BundleException;
import dev.wasmorch.shim.task.Rootfs;
import dev.wasmorch.shim.task.TaskService;
import dev.wasmorch.shim.ttrpc.RpcCode;
import dev.wasmorch.shim.ttrpc.TtrpcClient;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The shim's {@code delete} subcommand: containerd runs it after a task's shim connection closed,
 * normally right after the task was deleted, and after a crash to clean up. It asks the daemon to
 * drop the task if it still holds it (killing it first), unmounts a rootfs left mounted and prints
 * a {@code DeleteResponse} on stdout — the only output containerd parses. Warnings go to stderr,
 * which containerd logs. containerd gives it 5 s, so every call here has a short deadline.
 */
final class DeleteCommand {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final int SIGKILL = 9;

    private final Clock clock;

    DeleteCommand(Clock clock) {
        this.clock = clock;
    }

    void run(Path socket, String namespace, String id, Path bundle, OutputStream stdout, PrintStream stderr)
            throws IOException {
        DeleteResponse response = deleteInDaemon(socket, namespace, id, stderr);
        if (bundle != null) {
            Path rootfs = bundle.resolve("rootfs");
            try {
                if (Rootfs.isMounted(rootfs)) {
                    Rootfs.unmount(rootfs);
                }
            } catch (BundleException | IOException e) {
                stderr.println("wasmorch-shim delete " + namespace + "/" + id + ": " + e.getMessage());
            }
        }
        if (response == null) {
            // The daemon no longer knows the task (already deleted, or the daemon died): report it
            // killed now, as runc's shim does for a container it cleans up after.
            response = new DeleteResponse(0, 128 + SIGKILL, clock.instant());
        }
        stdout.write(response.toBytes());
        stdout.flush();
    }

    private static DeleteResponse deleteInDaemon(Path socket, String namespace, String id, PrintStream stderr) {
        if (!Files.exists(socket)) {
            return null;
        }
        Map<String, String> md = Map.of(TaskService.NAMESPACE_KEY, namespace);
        try (TtrpcClient client = TtrpcClient.connect(socket.toString())) {
            try {
                client.call(TaskService.NAME, "Kill", new KillRequest(id, "", SIGKILL, true).toBytes(), md,
                        CALL_TIMEOUT);
            } catch (TtrpcException e) {
                if (e.code() != RpcCode.NOT_FOUND) {
                    throw e;
                }
            }
            return DeleteResponse.parse(client.call(TaskService.NAME, "Delete", new TaskRequest(id, "").toBytes(), md,
                    CALL_TIMEOUT));
        } catch (TtrpcException e) {
            if (e.code() != RpcCode.NOT_FOUND) {
                stderr.println("wasmorch-shim delete " + namespace + "/" + id + ": " + e);
            }
        } catch (IOException e) {
            stderr.println("wasmorch-shim delete " + namespace + "/" + id + ": daemon unreachable: " + e.getMessage());
        }
        return null;
    }
}
