package dev.wasmorch.pipeline.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FinishedPodTest {

    private static final Instant T = Instant.parse("2026-11-26T21:24:09.123456789Z");

    private static PodLifecycle pod(Instant created, Instant deleted) {
        return new PodLifecycle(
                "fn",
                "aes-7d9c5b8f6-x2x9k",
                "u1",
                "agent-1",
                Runtime.WASM,
                "aes",
                "instantiation",
                "wasmorch",
                created,
                T.plusMillis(10),
                null,
                T.plusMillis(300),
                T.plusMillis(700),
                T.plusNanos(830_000_001),
                T.plusMillis(900),
                deleted,
                2,
                "coarse:seen",
                true);
    }

    @Test
    void roundTripsThroughItsFlinkSerializerWithNanosecondsAndMissingPhases() throws Exception {
        PodLifecycle original = pod(T, null);
        TypeSerializer<FinishedPod> serializer =
                TypeInformation.of(FinishedPod.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(FinishedPod.of(original), out);
        byte[] bytes = out.getCopyOfBuffer();

        PodLifecycle back =
                serializer.deserialize(new DataInputDeserializer(bytes)).lifecycle("fn", "aes-7d9c5b8f6-x2x9k");

        assertThat(back).isEqualTo(original);
        assertThat(bytes.length)
                .as("smaller than the lifecycle in its own serializer")
                .isLessThan(serialized(original));
    }

    @Test
    void timesBeforeTheEpochAndAtTheRangeEndsSurvive() {
        Instant early = Instant.parse("1969-12-31T23:59:59.999999999Z");
        assertThat(FinishedPod.of(pod(early, null))
                        .lifecycle("fn", "aes-7d9c5b8f6-x2x9k")
                        .created())
                .isEqualTo(early);
        Instant late = Instant.parse("2262-05-01T00:00:00Z");
        assertThat(FinishedPod.of(pod(T, Instant.parse("2262-04-01T00:00:00Z"))))
                .isNotNull();
        assertThat(FinishedPod.of(pod(T, late)))
                .as("beyond epoch nanoseconds: the pod keeps its events")
                .isNull();
        assertThat(FinishedPod.of(pod(Instant.parse("1600-01-01T00:00:00Z"), null)))
                .isNull();
    }

    private static int serialized(PodLifecycle p) throws Exception {
        TypeSerializer<PodLifecycle> s =
                TypeInformation.of(PodLifecycle.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(p, out);
        return out.length();
    }
}
