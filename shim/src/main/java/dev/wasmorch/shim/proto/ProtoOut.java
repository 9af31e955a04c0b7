package dev.wasmorch.shim.proto;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Builds one proto3 message. Scalar fields equal to their default are left out, as proto3 encoders
 * do, so the bytes match what Go's generated code writes for the same values.
 */
public final class ProtoOut {

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
    private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

    public ProtoOut string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            write(() -> out.writeString(field, value));
        }
        return this;
    }

    public ProtoOut strings(int field, List<String> values) {
        for (String v : values) {
            write(() -> out.writeString(field, v));
        }
        return this;
    }

    public ProtoOut bytes(int field, byte[] value) {
        if (value != null && value.length > 0) {
            write(() -> out.writeByteArray(field, value));
        }
        return this;
    }

    public ProtoOut uint32(int field, int value) {
        if (value != 0) {
            write(() -> out.writeUInt32(field, value));
        }
        return this;
    }

    public ProtoOut int32(int field, int value) {
        if (value != 0) {
            write(() -> out.writeInt32(field, value));
        }
        return this;
    }

    public ProtoOut uint64(int field, long value) {
        if (value != 0) {
            write(() -> out.writeUInt64(field, value));
        }
        return this;
    }

    public ProtoOut int64(int field, long value) {
        if (value != 0) {
            write(() -> out.writeInt64(field, value));
        }
        return this;
    }

    public ProtoOut bool(int field, boolean value) {
        if (value) {
            write(() -> out.writeBool(field, true));
        }
        return this;
    }

    /** An embedded message; written even when empty (presence matters for messages). */
    public ProtoOut message(int field, byte[] encoded) {
        if (encoded != null) {
            write(() -> out.writeByteArray(field, encoded));
        }
        return this;
    }

    /**
     * A {@code google.protobuf.Timestamp}. containerd's gogoproto fields are non-nullable
     * ({@code nullable=false}), so Go always writes them, even the zero time.
     */
    public ProtoOut timestamp(int field, Instant at) {
        return message(
                field,
                new ProtoOut()
                        .int64(1, at.getEpochSecond())
                        .int32(2, at.getNano())
                        .toBytes());
    }

    public byte[] toBytes() {
        write(out::flush);
        return buf.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            // CodedOutputStream over a ByteArrayOutputStream cannot fail to write
            throw new UncheckedIOException(e);
        }
    }
}
