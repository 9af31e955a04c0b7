package dev.wasmorch.shim.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Spin application manifest ({@code spin.toml}, manifest version 1 or 2) reduced to what this shim
 * runs: HTTP routes to WAGI components.
 *
 * @param file       the manifest file (named in every error)
 * @param version    1 or 2
 * @param name       the application name
 * @param components the components by id, in manifest order
 * @param routes     the HTTP routes, in manifest order
 */
public record SpinManifest(
        Path file, int version, String name, Map<String, Component> components, List<HttpRoute> routes) {

    /**
     * One component.
     *
     * @param id                   component id
     * @param source               the module file, resolved inside the app directory
     * @param files                directories the module may see (WASI preopens); empty = no file system
     * @param environment          environment variables from the manifest
     * @param allowedOutboundHosts hosts the manifest allows outbound connections to
     *                             ({@code allowed_http_hosts} in v1, {@code allowed_outbound_hosts} in v2)
     */
    public record Component(
            String id,
            Path source,
            List<FileMount> files,
            Map<String, String> environment,
            List<String> allowedOutboundHosts,
            HttpGrant httpGrant) {}

    /**
     * A file grant: host path {@code source} (a directory, or a file staged by {@link FileMounts}) seen
     * by the module at {@code guestPath}.
     *
     * @param pattern   when not null, a glob (manifest string form) selecting files under {@code source}
     */
    public record FileMount(Path source, String guestPath, String pattern) {}

    /**
     * An HTTP route.
     *
     * @param route     the route as written ({@code /hello}, {@code /api/...}, {@code /...}), base applied
     * @param component the component id it invokes
     * @param wagi      the WAGI executor options
     * @param field     where the route stands in the manifest, for messages
     */
    public record HttpRoute(String route, String component, WagiOptions wagi, String field) {}

    /**
     * The WAGI executor's options ({@code executor = { type = "wagi", entrypoint, argv }}).
     *
     * @param entrypoint the exported function to call, default {@code _start}
     * @param argv       the argv template, default {@code ${SCRIPT_NAME} ${ARGS}}
     */
    public record WagiOptions(String entrypoint, String argv) {
        public static final WagiOptions DEFAULT = new WagiOptions("_start", "${SCRIPT_NAME} ${ARGS}");
    }
}
