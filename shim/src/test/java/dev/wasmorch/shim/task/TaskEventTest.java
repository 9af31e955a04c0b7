package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.DeleteResponse;
import dev.wasmorch.shim.proto.task.WaitResponse;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * What the shim writes, against bytes derived by hand from containerd's .proto files (a field's tag
 * is {@code number << 3 | wire type}, proto3 leaves default scalars out): containerd only ever sees
 * these, so no capture of containerd's can check them.
 */
class TaskEventTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** 1700000000.5 s: Timestamp{seconds = 1 (varint 80 e2 cf aa 06), nanos = 2 (varint 80 ca b5 ee 01)}. */
    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L, 500_000_000);

    private static final String T_BYTES = "08 80 e2 cf aa 06 10 80 ca b5 ee 01";

    @Test
    void taskExitMatchesEventsProto() {
        TaskEvent exit = TaskEvent.exit("c1", 7, new ExitStatus(137, T));
        // container_id = 1, id = 2 (the init process: the container ID), pid = 3, exit_status = 4, exited_at = 5
        assertThat(exit.event().toByteArray())
                .isEqualTo(HEX.parseHex("0a 02 63 31 12 02 63 31 18 07 20 89 01 2a 0c " + T_BYTES));
        assertThat(exit.topic()).isEqualTo("/tasks/exit");
        assertThat(Protos.any(exit.event()).getTypeUrl()).isEqualTo("containerd.events.TaskExit");
    }

    @Test
    void taskCreateNestsTaskIo() {
        CreateTaskRequest req = CreateTaskRequest.newBuilder()
                .setId("c1")
                .setBundle("/b")
                .setStdout("/o")
                .build();
        TaskEvent create = TaskEvent.create(req, 7);
        // container_id, bundle, io = 4 (22) TaskIO{stdout = 2 "/o"}, pid = 6 (30) 7
        assertThat(create.event().toByteArray())
                .isEqualTo(HEX.parseHex("0a 02 63 31 12 02 2f 62 22 04 12 02 2f 6f 30 07"));
        assertThat(create.topic()).isEqualTo("/tasks/create");
        assertThat(TaskEvent.start("c1", 7).event().toByteArray()).isEqualTo(HEX.parseHex("0a 02 63 31 10 07"));
        assertThat(TaskEvent.delete("c1", 7, 0, T).event().toByteArray())
                .isEqualTo(HEX.parseHex("0a 02 63 31 10 07 22 0c " + T_BYTES));
    }

    @Test
    void timestampsAreWrittenEvenAtTheEpochAsGogoprotosNonNullableFields() {
        // pid = 1 (08) 42; exit_status = 2 (10) 137 = 89 01; exited_at = 3 (1a), 12 bytes
        assertThat(DeleteResponse.newBuilder()
                        .setPid(42)
                        .setExitStatus(137)
                        .setExitedAt(Protos.timestamp(T))
                        .build()
                        .toByteArray())
                .isEqualTo(HEX.parseHex("08 2a 10 89 01 1a 0c " + T_BYTES));
        assertThat(WaitResponse.newBuilder()
                        .setExitedAt(Protos.timestamp(Instant.EPOCH))
                        .build()
                        .toByteArray())
                .isEqualTo(HEX.parseHex("12 00"));
        assertThat(Protos.instant(Protos.timestamp(T))).isEqualTo(T);
    }
}
