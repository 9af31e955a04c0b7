package dev.wasmorch.shim.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.time.Instant;

/**
 * Walks the fields of one proto3 message. Callers switch on {@link #field()} and read the value
 * with the matching accessor; fields they do not know are skipped with {@link #skip()} so newer
 * containerd versions that add fields still decode.
 */
public final class ProtoIn {

    private final CodedInputStream in;
    private int tag;

    private ProtoIn(byte[] data) {
        this.in = CodedInputStream.newInstance(data == null ? new byte[0] : data);
    }

    public static ProtoIn of(byte[] data) {
        return new ProtoIn(data);
    }

    /** Advances to the next field; false at the end of the message. */
    public boolean next() throws IOException {
        tag = in.readTag();
        return tag != 0;
    }

    public int field() {
        return WireFormat.getTagFieldNumber(tag);
    }

    public String string() throws IOException {
        expect(WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readStringRequireUtf8();
    }

    public byte[] bytes() throws IOException {
        expect(WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readByteArray();
    }

    public int uint32() throws IOException {
        expect(WireFormat.WIRETYPE_VARINT);
        return in.readUInt32();
    }

    public int int32() throws IOException {
        expect(WireFormat.WIRETYPE_VARINT);
        return in.readInt32();
    }

    public long int64() throws IOException {
        expect(WireFormat.WIRETYPE_VARINT);
        return in.readInt64();
    }

    public long uint64() throws IOException {
        expect(WireFormat.WIRETYPE_VARINT);
        return in.readUInt64();
    }

    public boolean bool() throws IOException {
        expect(WireFormat.WIRETYPE_VARINT);
        return in.readBool();
    }

    /** A {@code google.protobuf.Timestamp} field. */
    public Instant timestamp() throws IOException {
        ProtoIn ts = of(bytes());
        long seconds = 0;
        int nanos = 0;
        while (ts.next()) {
            switch (ts.field()) {
                case 1 -> seconds = ts.int64();
                case 2 -> nanos = ts.int32();
                default -> ts.skip();
            }
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    public void skip() throws IOException {
        in.skipField(tag);
    }

    private void expect(int wireType) throws InvalidProtocolBufferException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new InvalidProtocolBufferException(
                    "field " + field() + ": wire type " + WireFormat.getTagWireType(tag) + ", expected " + wireType);
        }
    }
}
