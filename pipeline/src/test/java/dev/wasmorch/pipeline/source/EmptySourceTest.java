package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmptySourceTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    /**
     * Several parallel readers in BATCH mode: each must wait for the enumerator's "no more splits"
     * before finishing, or the event is lost and the job fails over (seen before the fix).
     */
    @RepeatedTest(5)
    void emitsNothingAndFinishesCleanlyWithParallelReaders() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        List<String> out = new ArrayList<>();
        env.fromSource(new EmptySource<>(Types.STRING), WatermarkStrategy.noWatermarks(), "empty")
                .setParallelism(4)
                .executeAndCollect()
                .forEachRemaining(out::add);
        assertThat(out).isEmpty();
    }
}
