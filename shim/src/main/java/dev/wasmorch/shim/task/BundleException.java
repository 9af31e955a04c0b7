package dev.wasmorch.shim.task;

/** The bundle (config.json, rootfs mounts, stdio) cannot be used; the message names the file or field. */
public class BundleException extends Exception {
    public BundleException(String message) {
        super(message);
    }
}
