package dev.wasmorch.shim.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One TTRPC message on the wire (github.com/containerd/ttrpc channel.go): a 10-byte big-endian header
 * — payload length (uint32), stream ID (uint32), type (byte), flags (byte) — then the payload.
 * Reads and writes go straight to the channel: {@code Channels.newInputStream/newOutputStream} share
 * one lock, and a reader blocked in one would stall every reply written by the other.
 */
public record Frame(int streamId, byte type, byte flags, byte[] payload) {

    public static final int HEADER_LENGTH = 10;
    /** ttrpc's default limit (messageLengthMax); larger messages are refused, not read. */
    public static final int MAX_PAYLOAD = 4 << 20;

    public static final byte TYPE_REQUEST = 0x1;
    public static final byte TYPE_RESPONSE = 0x2;

    /** Reads one frame; {@code null} at a clean end of stream before a header. */
    public static Frame read(ReadableByteChannel ch) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        if (!fill(ch, header, true)) {
            return null;
        }
        header.flip();
        long length = Integer.toUnsignedLong(header.getInt());
        int streamId = header.getInt();
        byte type = header.get();
        byte flags = header.get();
        if (length > MAX_PAYLOAD) {
            throw new IOException("TTRPC message of " + length + " bytes exceeds the limit of " + MAX_PAYLOAD);
        }
        ByteBuffer payload = ByteBuffer.allocate((int) length);
        fill(ch, payload, false);
        return new Frame(streamId, type, flags, payload.array());
    }

    public void write(WritableByteChannel ch) throws IOException {
        if (payload.length > MAX_PAYLOAD) {
            throw new IOException("TTRPC message of " + payload.length + " bytes exceeds the limit of " + MAX_PAYLOAD);
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
        buf.putInt(payload.length)
                .putInt(streamId)
                .put(type)
                .put(flags)
                .put(payload)
                .flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static boolean fill(ReadableByteChannel ch, ByteBuffer buf, boolean eofAllowedAtStart) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                if (eofAllowedAtStart && buf.position() == 0) {
                    return false;
                }
                throw new EOFException("TTRPC connection closed inside a message");
            }
        }
        return true;
    }
}
