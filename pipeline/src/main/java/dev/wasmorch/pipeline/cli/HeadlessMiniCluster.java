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
 * and nobody is told. Building its ~100 handlers, their message headers and parameters is class
 * loading and initialisation on a 2-core machine while the inputs are checked (docs/benchmarks.md,
 * "pipeline: batch job"). The endpoint itself still starts, since the MiniCluster's components
 * expect one (leader election, the cluster's REST address); it answers 404 to every request.
 */
final class HeadlessMiniCluster extends MiniCluster {

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
}
