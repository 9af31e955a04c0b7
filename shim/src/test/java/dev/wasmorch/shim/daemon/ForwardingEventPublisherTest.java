package dev.wasmorch.shim.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.shim.proto.events.TaskStart;
import dev.wasmorch.shim.task.TaskEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The Forward request an event travels in, against bytes derived by hand from events.proto and event.proto. */
class ForwardingEventPublisherTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L, 500_000_000);

    @Test
    void theEventTravelsAsAnAnyNamedByItsFullNameInAnEnvelope() {
        TaskEvent start = new TaskEvent(
                "/tasks/start",
                TaskStart.newBuilder().setContainerId("c1").setPid(7).build());
        byte[] wire =
                ForwardingEventPublisher.forwardRequest(T, "k8s.io", start).toByteArray();
        // ForwardRequest{envelope = 1{timestamp = 1, namespace = 2, topic = 3, event = 4 Any{type_url = 1, value = 2}}}
        byte[] any = concat(
                HEX.parseHex("0a 1b"), ascii("containerd.events.TaskStart"), HEX.parseHex("12 06 0a 02 63 31 10 07"));
        byte[] envelope = concat(
                HEX.parseHex("0a 0c 08 80 e2 cf aa 06 10 80 ca b5 ee 01 12 06"),
                ascii("k8s.io"),
                HEX.parseHex("1a 0c"),
                ascii("/tasks/start"),
                new byte[] {0x22, (byte) any.length},
                any);
        assertThat(wire).isEqualTo(concat(new byte[] {0x0a, (byte) envelope.length}, envelope));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
