package dev.wasmorch.shim.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Collects a module's stdout up to a limit, so a runaway writer cannot exhaust the shim's heap. */
final class BoundedOutput extends OutputStream {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int limit;
    private boolean exceeded;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (buffer.size() + len > limit) {
            exceeded = true;
            throw new IOException("response larger than " + limit + " bytes");
        }
        buffer.write(b, off, len);
    }

    boolean exceeded() {
        return exceeded;
    }

    byte[] toByteArray() {
        return buffer.toByteArray();
    }
}
