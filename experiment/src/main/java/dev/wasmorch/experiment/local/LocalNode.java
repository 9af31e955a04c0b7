package dev.wasmorch.experiment.local;

import dev.wasmorch.contract.cri.RuntimeServiceGrpc;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.model.Runtime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The private CRI node the local backend drives: a containerd of its own with CRI, both handlers and a bridge. */
interface LocalNode extends AutoCloseable {

    /** Starts containerd and waits until its CRI answers. */
    void start() throws BackendException;

    /** The CRI runtime service on the node's socket. */
    RuntimeServiceGrpc.RuntimeServiceBlockingStub cri();

    /** The CRI runtime handler of a runtime: {@code wasmorch} (the shim) or {@code runc}. */
    String handler(Runtime runtime);

    /** Imports an OCI image archive into the namespace CRI uses. */
    void importImage(Path archive) throws BackendException;

    /** The bridge's own address (the pods' gateway). */
    String gateway();

    /** The bridge's subnet in CIDR notation. */
    String subnet();

    /** Whether an address is a pod address on this node's bridge. */
    boolean onBridge(String ip);

    /** Where CRI writes the pods' container logs (each pod's log directory is below it). */
    Path podLogs();

    /** The pod sandboxes containerd's CRI still lists ({@code NAME/ID}). */
    List<String> remaining() throws BackendException;

    /** containerd's, runc's and the shim's versions, the bridge, the pause image. */
    Map<String, String> facts();

    /** Stops containerd and the shim, removes the bridge, its mounts and its files. */
    @Override
    void close();
}
