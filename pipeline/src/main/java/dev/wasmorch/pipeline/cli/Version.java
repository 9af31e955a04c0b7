package dev.wasmorch.pipeline.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by Maven), so it is never out of date. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = WasmorchCli.class.getPackage().getImplementationVersion();
        return new String[] {"wasmorch " + (v == null ? "(development build)" : v)};
    }
}
