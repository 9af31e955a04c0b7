package dev.wasmorch.shim.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written codecs against bytes derived by hand from containerd's .proto files
 * (runtime/v2/task/shim.proto, api/types/mount.proto, api/events/task.proto): a field's tag is
 * {@code number << 3 | wire type} (0 varint, 2 length-delimited), proto3 leaves default scalars out.
 */
class ProtoCodecTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** 1700000000.5 s: Timestamp{seconds = 1 (varint 80 e2 cf aa 06), nanos = 2 (varint 80 ca b5 ee 01)}. */
    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L, 500_000_000);

    private static final String T_BYTES = "08 80 e2 cf aa 06 10 80 ca b5 ee 01";

    @Test
    void deleteResponseMatchesShimProto() throws IOException {
        // pid = 1 (08) 42; exit_status = 2 (10) 137 = 89 01; exited_at = 3 (1a), 12 bytes
        byte[] expected = HEX.parseHex("08 2a 10 89 01 1a 0c " + T_BYTES);
        assertThat(new DeleteResponse(42, 137, T).toBytes()).isEqualTo(expected);
        assertThat(DeleteResponse.parse(expected)).isEqualTo(new DeleteResponse(42, 137, T));
    }

    @Test
    void createTaskRequestDecodesMountsStdioAndSkipsOptions() throws IOException {
        byte[] wire = HEX.parseHex(String.join(
                " ",
                "0a 02 63 31", // id = 1 "c1"
                "12 02 2f 62", // bundle = 2 "/b"
                "1a 0e 0a 04 62 69 6e 64 12 02 2f 73 22 02 72 6f", // rootfs = 3 Mount{type "bind", source "/s", options
                // ["ro"]}
                "32 02 2f 6f", // stdout = 6 "/o"
                "3a 02 2f 65", // stderr = 7 "/e"
                "52 03 0a 01 78")); // options = 10 Any{type_url "x"}: not used, skipped
        CreateTaskRequest r = CreateTaskRequest.parse(wire);
        assertThat(r)
                .isEqualTo(new CreateTaskRequest(
                        "c1", "/b", List.of(new Mount("bind", "/s", "", List.of("ro"))), false, "", "/o", "/e"));
        assertThat(CreateTaskRequest.parse(r.toBytes())).isEqualTo(r);
    }

    @Test
    void killRequestFields() throws IOException {
        byte[] wire = HEX.parseHex("0a 02 63 31 18 0f 20 01"); // id "c1", signal = 3 15, all = 4 true
        assertThat(KillRequest.parse(wire)).isEqualTo(new KillRequest("c1", "", 15, true));
        assertThat(new KillRequest("c1", "", 15, true).toBytes()).isEqualTo(wire);
    }

    @Test
    void taskExitEventMatchesEventsProto() {
        // container_id = 1, id = 2, pid = 3, exit_status = 4, exited_at = 5 (2a)
        byte[] expected = HEX.parseHex("0a 02 63 31 12 02 63 31 18 07 20 89 01 2a 0c " + T_BYTES);
        TaskEvent.Exit exit = new TaskEvent.Exit("c1", "c1", 7, 137, T);
        assertThat(exit.toBytes()).isEqualTo(expected);
        assertThat(exit.topic()).isEqualTo("/tasks/exit");
        assertThat(exit.typeUrl()).isEqualTo("containerd.events.TaskExit");
    }

    @Test
    void taskCreateEventNestsTaskIo() {
        TaskEvent.Create create = new TaskEvent.Create("c1", "/b", List.of(), "", "/o", "", false, 7);
        // container_id, bundle, io = 4 (22) TaskIO{stdout = 2 "/o"}, pid = 6 (30) 7
        assertThat(create.toBytes()).isEqualTo(HEX.parseHex("0a 02 63 31 12 02 2f 62 22 04 12 02 2f 6f 30 07"));
    }

    @Test
    void forwardRequestWrapsTheEventInAnEnvelope() throws IOException {
        TaskEvent.Start start = new TaskEvent.Start("c1", 7);
        ForwardRequest f = ForwardRequest.of(T, "k8s.io", start);
        byte[] wire = f.toBytes();
        // ForwardRequest{envelope = 1{timestamp = 1, namespace = 2, topic = 3, event = 4 Any{type_url = 1, value = 2}}}
        byte[] any = concat(
                HEX.parseHex("0a 1b"),
                "containerd.events.TaskStart".getBytes(),
                HEX.parseHex("12 06 0a 02 63 31 10 07"));
        byte[] envelope = concat(
                HEX.parseHex("0a 0c " + T_BYTES + " 12 06"),
                "k8s.io".getBytes(),
                HEX.parseHex("1a 0c"),
                "/tasks/start".getBytes(),
                new byte[] {0x22, (byte) any.length},
                any);
        assertThat(wire).isEqualTo(concat(new byte[] {0x0a, (byte) envelope.length}, envelope));
        ForwardRequest back = ForwardRequest.parse(wire);
        assertThat(back.namespace()).isEqualTo("k8s.io");
        assertThat(back.topic()).isEqualTo("/tasks/start");
        assertThat(back.typeUrl()).isEqualTo("containerd.events.TaskStart");
        assertThat(back.timestamp()).isEqualTo(T);
        assertThat(back.event()).isEqualTo(start.toBytes());
    }

    @Test
    void responsesRoundTrip() throws IOException {
        StateResponse state = new StateResponse("c1", "/b", 7, TaskStatus.RUNNING, "", "/o", "/e", false, 0, T, "");
        assertThat(StateResponse.parse(state.toBytes())).isEqualTo(state);
        assertThat(state.toBytes()).startsWith(HEX.parseHex("0a 02 63 31 12 02 2f 62 18 07 20 02"));
        assertThat(WaitResponse.parse(new WaitResponse(143, T).toBytes())).isEqualTo(new WaitResponse(143, T));
        assertThat(PidsResponse.parse(new PidsResponse(List.of(7, 9)).toBytes()))
                .isEqualTo(new PidsResponse(List.of(7, 9)));
        // PidsResponse{processes = 1 ProcessInfo{pid = 1}}
        assertThat(new PidsResponse(List.of(7)).toBytes()).isEqualTo(HEX.parseHex("0a 02 08 07"));
        ConnectResponse c = new ConnectResponse(7, 7, "wasmorch-shim/1");
        assertThat(ConnectResponse.parse(c.toBytes())).isEqualTo(c);
        assertThat(PidResponse.parse(new PidResponse(7).toBytes())).isEqualTo(new PidResponse(7));
        assertThat(TaskRequest.parse(new TaskRequest("c1", "e1").toBytes())).isEqualTo(new TaskRequest("c1", "e1"));
        assertThat(ShutdownRequest.parse(new ShutdownRequest("c1", true).toBytes()))
                .isEqualTo(new ShutdownRequest("c1", true));
    }

    @Test
    void defaultValuesAreLeftOutButTimestampsAlwaysWritten() {
        // proto3: an empty request is zero bytes; gogoproto's non-nullable exited_at is always there
        assertThat(new TaskRequest("", "").toBytes()).isEmpty();
        assertThat(new WaitResponse(0, Instant.ofEpochSecond(0)).toBytes()).isEqualTo(HEX.parseHex("12 00"));
    }

    @Test
    void wrongWireTypeIsAnErrorNamingTheField() {
        // field 1 as a varint where shim.proto has a string
        assertThatThrownBy(() -> TaskRequest.parse(HEX.parseHex("08 01")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field 1");
    }

    @Test
    void truncatedMessageIsAnError() {
        assertThatThrownBy(() -> TaskRequest.parse(HEX.parseHex("0a 05 63 31"))).isInstanceOf(IOException.class);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
