package dev.wasmorch.pipeline.cli;

import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.dispatcher.SessionDispatcherFactory;
import org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunnerFactory;
import org.apache.flink.runtime.entrypoint.component.DefaultDispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.entrypoint.component.DispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;
import org.apache.flink.runtime.rest.RestEndpointFactory;

/**
 * The CLI's local cluster: a session MiniCluster whose REST endpoint serves no handlers.
 *
 * <p>Why: the job is submitted and awaited through the dispatcher's RPC gateway, so nothing asks
 * the REST API anything; the CLI ships no web UI, and the endpoint listens on a port the OS picks
 * and nobody is told. Its handlers, their message headers and parameters only cost memory: the demo
 * analysis peaks about 45 MB lower without them, in the same wall time (docs/benchmarks.md,
 * "pipeline: batch job", seventh session). The endpoint itself still starts, since the
 * MiniCluster's components expect one (leader election, the cluster's REST address); with no
 * routes it answers 404 to every request ({@link HeadlessRestEndpoint}).
 */
final class HeadlessMiniCluster extends MiniCluster {

    private static final RestEndpointFactory<DispatcherGateway> NO_HANDLERS = HeadlessRestEndpoint::new;

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
