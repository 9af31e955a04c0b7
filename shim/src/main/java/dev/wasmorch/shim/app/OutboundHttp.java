package dev.wasmorch.shim.app;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The outbound HTTP host interface of WAGI-era modules, module {@code wasi_experimental_http} (the ABI
 * of the deislabs wasi-experimental-http crate, which the study's functions call; Spin 0.6.0 itself
 * offers outbound HTTP only as the WIT interface {@code wasi-outbound-http}), for ONE module
 * instance: it holds that instance's responses (sessions) and is dropped with it.
 *
 * <p>Every call returns the crate's error code (0 = success); strings and buffers are (pointer,
 * length) pairs in the module's exported memory, results go to out-pointers. Bodies are buffered
 * whole, up to the size cap, before {@code req} returns, as the crate does.
 */
final class OutboundHttp {

    static final String MODULE = "wasi_experimental_http";

    // Error codes of the crate's HttpError (wasi-experimental-http-wasmtime/src/lib.rs, witx $http_error).
    static final int SUCCESS = 0;
    static final int INVALID_HANDLE = 1;
    static final int MEMORY_NOT_FOUND = 2;
    static final int MEMORY_ACCESS = 3;
    static final int BUFFER_TOO_SMALL = 4;
    static final int HEADER_NOT_FOUND = 5;
    static final int UTF8 = 6;
    static final int DESTINATION_NOT_ALLOWED = 7;
    static final int INVALID_METHOD = 8;
    static final int INVALID_ENCODING = 9;
    static final int INVALID_URL = 10;
    static final int REQUEST_ERROR = 11;
    static final int RUNTIME_ERROR = 12;
    static final int TOO_MANY_SESSIONS = 13;

    /** Longest URL, header block and method a module may pass; beyond them the call fails without a request. */
    static final int MAX_URL = 8 << 10;

    static final int MAX_HEADERS = 64 << 10;
    static final int MAX_METHOD = 32;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern FIELD_VALUE = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f\\x7f]*");

    /** One response held for the module: its headers, its whole body and how far the module has read. */
    private static final class Session {
        final Map<String, List<String>> headers;
        final byte[] body;
        int position;

        Session(Map<String, List<String>> headers, byte[] body) {
            this.headers = headers;
            this.body = body;
        }
    }

    private final HttpGrant grant;
    private final OutboundLimits limits;
    private final OutboundClient client;
    private final Consumer<String> diagnostics;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private int nextHandle;

    /**
     * @param client      the app's HTTP client (its network namespace's)
     * @param diagnostics where a line saying why a request failed goes (the container's log)
     */
    OutboundHttp(HttpGrant grant, OutboundLimits limits, OutboundClient client, Consumer<String> diagnostics) {
        this.grant = grant;
        this.limits = limits;
        this.client = client;
        this.diagnostics = diagnostics;
    }

    /** The five host functions, bound to this instance's sessions. */
    HostFunction[] functions() {
        return new HostFunction[] {
            new HostFunction(MODULE, "req", type(10), (inst, a) -> answer(this::req, inst, a)),
            new HostFunction(MODULE, "close", type(1), (inst, a) -> answer(this::close, inst, a)),
            new HostFunction(MODULE, "body_read", type(4), (inst, a) -> answer(this::bodyRead, inst, a)),
            new HostFunction(MODULE, "header_get", type(6), (inst, a) -> answer(this::headerGet, inst, a)),
            new HostFunction(MODULE, "headers_get_all", type(4), (inst, a) -> answer(this::headersGetAll, inst, a))
        };
    }

    /** The signature of each function: that many i32 parameters, one i32 (the error code) back. */
    static Map<String, FunctionType> signatures() {
        return Map.of(
                "req",
                type(10),
                "close",
                type(1),
                "body_read",
                type(4),
                "header_get",
                type(6),
                "headers_get_all",
                type(4));
    }

    private static FunctionType type(int params) {
        return FunctionType.of(Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
    }

    private static long[] result(int code) {
        return new long[] {code};
    }

    /** A call the ABI answers with an error code: thrown where it is found, turned into the code once. */
    private static final class Refused extends Exception {
        final int code;

        Refused(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    /** Runs a host function; a refusal anywhere in it is its error code. */
    private interface Call {
        void run(Instance instance, long[] a) throws Refused;
    }

    private static long[] answer(Call call, Instance instance, long[] a) {
        try {
            call.run(instance, a);
            return result(SUCCESS);
        } catch (Refused r) {
            return result(r.code);
        }
    }

    private static void refuseIf(boolean condition, int code) throws Refused {
        if (condition) {
            throw new Refused(code);
        }
    }

    /** The module's memory and bounds checks on it; every pointer and length is the guest's word. */
    private record Guest(Memory memory) {
        static Guest of(Instance instance) throws Refused {
            refuseIf(instance.memory() == null, MEMORY_NOT_FOUND);
            return new Guest(instance.memory());
        }

        long size() {
            return (long) memory.pages() * Memory.PAGE_SIZE;
        }

        boolean fits(long ptr, long len) {
            return ptr + len <= size();
        }

        /** An input range; outside memory the crate answers "buffer too small". */
        byte[] read(long ptr, long len) throws Refused {
            refuseIf(!fits(ptr, len), BUFFER_TOO_SMALL);
            return memory.readBytes((int) ptr, (int) len);
        }

        /** An input string, which must be UTF-8. */
        String text(long ptr, long len) throws Refused {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(read(ptr, len)))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new Refused(UTF8);
            }
        }

        /** Output ranges; outside memory the crate answers "memory access". */
        void write(long ptr, byte[] data, int offset, int len) throws Refused {
            refuseIf(!fits(ptr, len), MEMORY_ACCESS);
            memory.write((int) ptr, data, offset, len);
        }

        void writeU32(long ptr, int value) throws Refused {
            refuseIf(!fits(ptr, 4), MEMORY_ACCESS);
            memory.writeI32((int) ptr, value);
        }

        void writeU16(long ptr, int value) throws Refused {
            refuseIf(!fits(ptr, 2), MEMORY_ACCESS);
            memory.writeShort((int) ptr, (short) value);
        }

        /** A result string into (ptr, capacity), its length to writtenPtr. */
        void writeOut(byte[] data, long ptr, long capacity, long writtenPtr) throws Refused {
            refuseIf(data.length > capacity, BUFFER_TOO_SMALL);
            write(ptr, data, 0, data.length);
            writeU32(writtenPtr, data.length);
        }
    }

    private Session session(long handle) throws Refused {
        Session s = sessions.get((int) handle);
        refuseIf(s == null, INVALID_HANDLE);
        return s;
    }

    private static long u32(long v) {
        return v & 0xFFFF_FFFFL;
    }

    private void req(Instance instance, long[] a) throws Refused {
        Guest guest = Guest.of(instance);
        refuseIf(sessions.size() >= limits.maxSessions(), TOO_MANY_SESSIONS);
        long urlLen = u32(a[1]);
        long methodLen = u32(a[3]);
        long headersLen = u32(a[5]);
        long bodyLen = u32(a[7]);
        refuseIf(urlLen > MAX_URL, INVALID_URL);
        URI url = absoluteHttpUrl(guest.text(u32(a[0]), urlLen));
        refuseIf(url == null, INVALID_URL);
        // Before the method, headers or body are even read: a refused module learns nothing more.
        if (!grant.allows(url)) {
            diagnostics.accept("outbound HTTP to " + url.getScheme() + "://" + url.getAuthority()
                    + " refused: not in allowed_http_hosts");
            throw new Refused(DESTINATION_NOT_ALLOWED);
        }
        refuseIf(methodLen > MAX_METHOD, INVALID_METHOD);
        String method = new String(guest.read(u32(a[2]), methodLen), StandardCharsets.ISO_8859_1);
        refuseIf(!TOKEN.matcher(method).matches(), INVALID_METHOD);
        refuseIf(headersLen > MAX_HEADERS, INVALID_ENCODING);
        String headerText = guest.text(u32(a[4]), headersLen);
        if (bodyLen > limits.maxResponseBytes()) {
            diagnostics.accept("outbound HTTP to " + url + ": request body of " + bodyLen + " bytes above the cap of "
                    + limits.maxResponseBytes());
            throw new Refused(REQUEST_ERROR);
        }
        byte[] body = guest.read(u32(a[6]), bodyLen);
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .timeout(limits.timeout())
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            refuseIf(!addHeaders(builder, headerText), INVALID_ENCODING);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // The JDK refuses methods and headers it manages itself (CONNECT, Host, Content-Length...).
            diagnostics.accept("outbound HTTP to " + url + ": " + e.getMessage());
            throw new Refused(INVALID_ENCODING);
        }
        HttpResponse<byte[]> response = send(request);
        refuseIf(response == null, REQUEST_ERROR);
        int handle = nextHandle;
        guest.writeU16(u32(a[8]), response.statusCode());
        guest.writeU32(u32(a[9]), handle);
        nextHandle++;
        sessions.put(handle, new Session(response.headers().map(), response.body()));
    }

    private static URI absoluteHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The crate's header block: "name:value" lines; false for a line that is no valid header. */
    private static boolean addHeaders(HttpRequest.Builder builder, String block) {
        for (String line : block.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return false;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            if (!TOKEN.matcher(name).matches() || !FIELD_VALUE.matcher(value).matches()) {
                return false;
            }
            builder.header(name, value);
        }
        return true;
    }

    /**
     * Sends the request and waits at most the time limit for the whole response; null (with a
     * diagnostic) when none came complete. The module's own time limit interrupts this thread: the
     * request is abandoned and the interruption passes on to end the module.
     */
    private HttpResponse<byte[]> send(HttpRequest request) {
        AtomicReference<CappedBody> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> future = client.http().sendAsync(request, info -> {
            CappedBody b = new CappedBody(limits.maxResponseBytes());
            body.set(b);
            return b;
        });
        String where = "outbound HTTP " + request.method() + " " + request.uri();
        try {
            return future.get(limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(future, body.get());
            diagnostics.accept(where + ": " + noResponseInTime());
            return null;
        } catch (ExecutionException e) {
            // The request's own timeout (the same limit, until the headers arrive) may fire first.
            Throwable cause = e.getCause();
            String why = cause instanceof CappedBody.TooLarge
                    ? cause.getMessage()
                    : cause instanceof java.net.http.HttpTimeoutException
                            ? noResponseInTime()
                            : "request failed: " + cause;
            diagnostics.accept(where + ": " + why);
            return null;
        } catch (InterruptedException e) {
            abandon(future, body.get());
            Thread.currentThread().interrupt();
            throw new ChicoryInterruptedException(where + ": interrupted by the request time limit", e);
        }
    }

    private String noResponseInTime() {
        return "no complete response within " + limits.timeout().toMillis() + " ms";
    }

    private static void abandon(CompletableFuture<?> future, CappedBody body) {
        future.cancel(true);
        if (body != null) {
            body.cancel();
        }
    }

    private void close(Instance instance, long[] a) throws Refused {
        refuseIf(sessions.remove((int) a[0]) == null, INVALID_HANDLE);
    }

    /** body_read(handle, buf, buf_len, written): the next bytes of the body; 0 written at its end. */
    private void bodyRead(Instance instance, long[] a) throws Refused {
        Session s = session(a[0]);
        Guest guest = Guest.of(instance);
        int n = (int) Math.min(u32(a[2]), s.body.length - s.position);
        guest.write(u32(a[1]), s.body, s.position, n);
        guest.writeU32(u32(a[3]), n);
        s.position += n;
    }

    /** header_get(handle, name, name_len, buf, buf_len, written): the header's first value. */
    private void headerGet(Instance instance, long[] a) throws Refused {
        Session s = session(a[0]);
        Guest guest = Guest.of(instance);
        long nameLen = u32(a[2]);
        refuseIf(nameLen > MAX_HEADERS, HEADER_NOT_FOUND);
        String name = guest.text(u32(a[1]), nameLen);
        String value = s.headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst()
                .orElseThrow(() -> new Refused(HEADER_NOT_FOUND));
        guest.writeOut(value.getBytes(StandardCharsets.ISO_8859_1), u32(a[3]), u32(a[4]), u32(a[5]));
    }

    /** headers_get_all(handle, buf, buf_len, written): every header as "name:value\n" lines. */
    private void headersGetAll(Instance instance, long[] a) throws Refused {
        Session s = session(a[0]);
        Guest guest = Guest.of(instance);
        StringBuilder all = new StringBuilder();
        s.headers.forEach((name, values) -> {
            // The JDK lists HTTP/2 pseudo-headers such as ":status"; they are no header fields.
            if (!name.startsWith(":")) {
                values.forEach(v -> all.append(name.toLowerCase(Locale.ROOT))
                        .append(':')
                        .append(v)
                        .append('\n'));
            }
        });
        guest.writeOut(all.toString().getBytes(StandardCharsets.ISO_8859_1), u32(a[1]), u32(a[2]), u32(a[3]));
    }
}
