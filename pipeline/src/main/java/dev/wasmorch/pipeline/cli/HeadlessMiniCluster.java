package dev.wasmorch.pipeline.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.dispatcher.SessionDispatcherFactory;
import org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunnerFactory;
import org.apache.flink.runtime.entrypoint.component.DefaultDispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.entrypoint.component.DispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;
import org.apache.flink.runtime.rest.RestEndpointFactory;
import org.apache.flink.runtime.rest.handler.RestHandlerConfiguration;
import org.apache.flink.runtime.rest.handler.RestHandlerSpecification;
import org.apache.flink.runtime.webmonitor.WebMonitorEndpoint;
import org.apache.flink.shaded.netty4.io.netty.channel.ChannelInboundHandler;

/**
 * The CLI's local cluster: a session MiniCluster whose REST endpoint serves no handlers.
 *
 * <p>Why: the job is submitted and awaited through the dispatcher's RPC gateway, so nothing asks
 * the REST API anything; the CLI ships no web UI, and the endpoint listens on a port the OS picks
 * and nobody is told. Its handlers, their message headers and parameters only cost memory: the demo
 * analysis peaks about 45 MB lower without them, in the same wall time (docs/benchmarks.md,
 * "pipeline: batch job", seventh session). The endpoint itself still starts, since the
 * MiniCluster's components expect one (leader election, the cluster's REST address); with no
 * routes it answers 404 to every request.
 */
final class HeadlessMiniCluster extends MiniCluster {

    private static final RestEndpointFactory<?> NO_HANDLERS =
            (configuration,
                    dispatcher,
                    resourceManager,
                    blobs,
                    executor,
                    metricFetcher,
                    leaderElection,
                    fatalErrorHandler) -> {
                RestHandlerConfiguration handlers = RestHandlerConfiguration.fromConfiguration(configuration);
                return new WebMonitorEndpoint<>(
                        dispatcher,
                        configuration,
                        handlers,
                        resourceManager,
                        blobs,
                        executor,
                        metricFetcher,
                        leaderElection,
                        RestEndpointFactory.createExecutionGraphCache(handlers),
                        fatalErrorHandler) {
                    @Override
                    protected List<Tuple2<RestHandlerSpecification, ChannelInboundHandler>> initializeHandlers(
                            CompletableFuture<String> localAddressFuture) {
                        return new ArrayList<>(); // sorted in place by the endpoint
                    }
                };
            };

    HeadlessMiniCluster(MiniClusterConfiguration config) {
        super(config);
    }

    @Override
    protected DispatcherResourceManagerComponentFactory createDispatcherResourceManagerComponentFactory() {
        return new DefaultDispatcherResourceManagerComponentFactory(
                DefaultDispatcherRunnerFactory.createSessionRunner(SessionDispatcherFactory.INSTANCE),
                StandaloneResourceManagerFactory.getInstance(),
                NO_HANDLERS);
    }
}
