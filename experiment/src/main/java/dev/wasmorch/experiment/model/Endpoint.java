package dev.wasmorch.experiment.model;

/** Where a deployed pod answers HTTP: an IPv4 address and a port. */
public record Endpoint(String host, int port) {

    public Endpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1..65535");
        }
    }

    /** {@code http://host:port} followed by the request's path and query. */
    public String url(Request request) {
        return "http://" + host + ":" + port + request.target();
    }
}
