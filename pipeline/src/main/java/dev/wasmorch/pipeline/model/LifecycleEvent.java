package dev.wasmorch.pipeline.model;

import java.time.Instant;

/**
 * One timed step of one pod, whatever format it was read from.
 *
 * @param time      when it happened (microseconds or finer for native lines; whole seconds for
 *                  some fields of older formats, see {@code secondsPrecision})
 * @param phase     what happened
 * @param namespace pod namespace
 * @param pod       pod name
 * @param uid       pod UID, or {@code null} when the line does not give it
 * @param node      the node the pod is bound to, or {@code null}
 * @param host      the host whose clock took {@code time}, or {@code null} when unknown
 * @param component the emitting component (kubelet, kube-scheduler, ...)
 * @param container container name for container phases, else {@code null}
 * @param handler   CRI runtime handler when the line gives it, else {@code null}
 * @param origin    which format/source the event came from
 * @param secondsPrecision true when the time is only known to the second
 * @param file      source file (for reports)
 * @param line      source line number
 */
public record LifecycleEvent(
        Instant time,
        Phase phase,
        String namespace,
        String pod,
        String uid,
        String node,
        String host,
        String component,
        String container,
        String handler,
        Origin origin,
        boolean secondsPrecision,
        String file,
        long line) {

    /** The join key: pods are assembled per namespace/name (UIDs separate reused names). */
    public String podKey() {
        return namespace + "/" + pod;
    }
}
