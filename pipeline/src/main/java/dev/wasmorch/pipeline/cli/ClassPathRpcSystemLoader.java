package dev.wasmorch.pipeline.cli;

import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;

/**
 * Takes Flink's Pekko RPC system from the class path when it is there, as it is on the CLI's
 * ({@code target/lib/flink-rpc-akka.jar}, unpacked from flink-rpc-akka-loader at package time).
 *
 * <p>Flink's own loader extracts that 21 MB jar into a temporary directory on every start and loads
 * it in a class loader of its own, so none of its classes can be in the CLI's class-data archive;
 * that cost the demo analysis about half a second of CPU (0.2-1.1 s in four alternating pairs,
 * docs/benchmarks.md "pipeline: batch job").
 * Where the jar is not on the class path (Maven's test class path, a Flink distribution), this
 * loader fails and Flink tries its own.
 */
public final class ClassPathRpcSystemLoader implements RpcSystemLoader {

    /** Before Flink's loader (priority 0). */
    @Override
    public int getLoadPriority() {
        return -1;
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        return ServiceLoader.load(RpcSystem.class, ClassPathRpcSystemLoader.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no RPC system on the class path"));
    }
}
