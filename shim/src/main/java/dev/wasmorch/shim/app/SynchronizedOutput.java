package dev.wasmorch.shim.app;

import java.io.IOException;
import java.io.OutputStream;

/** Serializes writes from concurrent requests to the container's stderr, so lines do not interleave mid-write. */
final class SynchronizedOutput extends OutputStream {

    private final OutputStream out;

    SynchronizedOutput(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }
}
