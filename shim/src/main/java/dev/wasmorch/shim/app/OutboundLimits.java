package dev.wasmorch.shim.app;

import java.time.Duration;

/**
 * Limits on a module's outbound HTTP requests ({@link OutboundHttp}).
 *
 * @param timeout          the longest one request may take, response body included (the module's
 *                         request time limit still ends the module, and the request, first)
 * @param maxResponseBytes the largest response body accepted (also the largest request body sent)
 * @param maxSessions      responses one instance may hold open at once (each up to the cap in memory)
 */
public record OutboundLimits(Duration timeout, int maxResponseBytes, int maxSessions) {

    public static final OutboundLimits DEFAULT = new OutboundLimits(Duration.ofSeconds(10), 16 << 20, 8);

    public OutboundLimits {
        if (timeout.isNegative() || timeout.isZero() || maxResponseBytes < 0 || maxSessions < 1) {
            throw new IllegalArgumentException("invalid outbound HTTP limits: timeout " + timeout + ", "
                    + maxResponseBytes + " bytes, " + maxSessions + " sessions");
        }
    }
}
