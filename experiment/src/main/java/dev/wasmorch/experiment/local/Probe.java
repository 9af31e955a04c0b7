package dev.wasmorch.experiment.local;

import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.model.Endpoint;
import dev.wasmorch.experiment.model.Request;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The readiness probe the kubelet would run: the function's own request until the first 200,
 * at most {@link Readiness#maxProbes()} times and never beyond the deadline.
 */
final class Probe {

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** The probe's outcome: ready, or what the last try saw (a status, a connection error). */
    record Result(boolean ready, String last) {}

    /** @param stop ends the wait early (the node is shutting down) */
    Result await(Endpoint endpoint, Request request, Readiness readiness, long deadlineNanos, BooleanSupplier stop)
            throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint.url(request)))
                .timeout(Duration.ofSeconds(5))
                .method(
                        request.method(),
                        request.body().isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request.body()))
                .build();
        String last = "no probe before the deadline";
        for (long i = 0; i < readiness.maxProbes() && System.nanoTime() < deadlineNanos && !stop.getAsBoolean(); i++) {
            try {
                int status =
                        http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return new Result(true, "200");
                }
                last = "answered " + status;
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            Thread.sleep(readiness.interval().toMillis());
        }
        return new Result(false, last);
    }
}
