package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The CLI's local cluster runs jobs like Flink's own MiniCluster, but its REST endpoint has no
 * handlers. Requests go to the endpoint's own loopback address only.
 */
class HeadlessMiniClusterTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void runsAJobAndAnswersNoRestRequest() throws Exception {
        assertThat(overviewStatusAfterAJob(new HeadlessMiniCluster(config())))
                .as("GET /v1/overview on the headless cluster")
                .isEqualTo(404);
    }

    @Test
    void flinksOwnMiniClusterAnswersTheSameRequest() throws Exception {
        // The control: the request is one a REST endpoint with handlers serves (once its leader is
        // known, so after a job ran; before that it answers 503).
        assertThat(overviewStatusAfterAJob(new MiniCluster(config())))
                .as("GET /v1/overview on Flink's MiniCluster")
                .isEqualTo(200);
    }

    /** Starts the cluster, runs a small job on it, then asks its REST endpoint; stops it. */
    private static int overviewStatusAfterAJob(MiniCluster cluster) throws Exception {
        try (cluster) {
            cluster.start();
            cluster.executeJobBlocking(smallJob());
            return overviewStatus(cluster);
        }
    }

    private static MiniClusterConfiguration config() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build();
    }

    private static JobGraph smallJob() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1); // the cluster's one slot
        env.fromData(1L, 2L, 3L).sinkTo(new DiscardingSink<>());
        return env.getStreamGraph().getJobGraph();
    }

    private static int overviewStatus(MiniCluster cluster) throws Exception {
        URI rest = cluster.getRestAddress().get();
        assertThat(rest.getHost()).isEqualTo("127.0.0.1");
        HttpRequest request = HttpRequest.newBuilder(rest.resolve("/v1/overview"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
