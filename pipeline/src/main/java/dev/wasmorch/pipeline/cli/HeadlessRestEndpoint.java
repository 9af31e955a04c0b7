package dev.wasmorch.pipeline.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.blob.TransientBlobService;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.leaderelection.LeaderElection;
import org.apache.flink.runtime.resourcemanager.ResourceManagerGateway;
import org.apache.flink.runtime.rest.RestEndpointFactory;
import org.apache.flink.runtime.rest.handler.RestHandlerConfiguration;
import org.apache.flink.runtime.rest.handler.RestHandlerSpecification;
import org.apache.flink.runtime.rest.handler.legacy.metrics.MetricFetcher;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.webmonitor.WebMonitorEndpoint;
import org.apache.flink.runtime.webmonitor.retriever.LeaderGatewayRetriever;
import org.apache.flink.shaded.netty4.io.netty.channel.ChannelInboundHandler;
import org.apache.flink.util.ConfigurationException;

/**
 * The REST endpoint of {@link HeadlessMiniCluster}: Flink's, with no handlers, so it answers 404 to
 * every request. A class of its own so that its log lines (its start, address, leadership and
 * stop, which Flink's endpoint logs under the class's name) can be silenced with Flink's own
 * (pipeline/conf/log4j2.properties).
 */
final class HeadlessRestEndpoint extends WebMonitorEndpoint<DispatcherGateway> {

    /**
     * The arguments of {@link RestEndpointFactory#createRestEndpoint}, in its order. The execution
     * graph cache is built, as Flink's own factories build it, from the same handler settings.
     */
    HeadlessRestEndpoint(
            Configuration configuration,
            LeaderGatewayRetriever<DispatcherGateway> dispatcher,
            LeaderGatewayRetriever<ResourceManagerGateway> resourceManager,
            TransientBlobService blobs,
            ScheduledExecutorService executor,
            MetricFetcher metricFetcher,
            LeaderElection leaderElection,
            FatalErrorHandler fatalErrorHandler)
            throws IOException, ConfigurationException {
        super(
                dispatcher,
                configuration,
                RestHandlerConfiguration.fromConfiguration(configuration),
                resourceManager,
                blobs,
                executor,
                metricFetcher,
                leaderElection,
                RestEndpointFactory.createExecutionGraphCache(
                        RestHandlerConfiguration.fromConfiguration(configuration)),
                fatalErrorHandler);
    }

    @Override
    protected List<Tuple2<RestHandlerSpecification, ChannelInboundHandler>> initializeHandlers(
            CompletableFuture<String> localAddressFuture) {
        return new ArrayList<>(); // sorted in place by the endpoint
    }
}
