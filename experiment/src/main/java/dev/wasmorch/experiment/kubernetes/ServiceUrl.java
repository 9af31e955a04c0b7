package dev.wasmorch.experiment.kubernetes;

import java.net.URI;

/**
 * A backing service as a function's pod reaches it: the catalog's environment variable and the URL
 * (in the cluster, e.g. the functions/baas services run there).
 */
public record ServiceUrl(String env, String url) {

    public ServiceUrl {
        if (!env.matches("[A-Z_][A-Z0-9_]*")) {
            throw new IllegalArgumentException("service variable '" + env + "' is not an environment variable name");
        }
        URI u = URI.create(url);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("service URL '" + url + "' is not an http(s) URL with a host");
        }
    }
}
