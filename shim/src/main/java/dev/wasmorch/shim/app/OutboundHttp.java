package dev.wasmorch.shim.app;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
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
import java.util.concurrent.Flow;
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

    /**
     * No proxy (the grant names the host actually connected to) and no redirects: following one would
     * take the module to a host its grant may not name; it sees the 3xx and its Location header and
     * may ask for that URL itself, which passes the grant again.
     */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

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
    private final Consumer<String> diagnostics;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private int nextHandle;

    /** @param diagnostics where a line saying why a request failed goes (the container's log) */
    OutboundHttp(HttpGrant grant, OutboundLimits limits, Consumer<String> diagnostics) {
        this.grant = grant;
        this.limits = limits;
        this.diagnostics = diagnostics;
    }

    /** The five host functions, bound to this instance's sessions. */
    HostFunction[] functions() {
        return new HostFunction[] {
            new HostFunction(MODULE, "req", type(10), (inst, a) -> result(req(inst, a))),
            new HostFunction(MODULE, "close", type(1), (inst, a) -> result(close((int) a[0]))),
            new HostFunction(MODULE, "body_read", type(4), (inst, a) -> result(bodyRead(inst, a))),
            new HostFunction(MODULE, "header_get", type(6), (inst, a) -> result(headerGet(inst, a))),
            new HostFunction(MODULE, "headers_get_all", type(4), (inst, a) -> result(headersGetAll(inst, a)))
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

    /** The module's memory and bounds checks on it; every pointer and length is the guest's word. */
    private record Guest(Memory memory) {
        long size() {
            return (long) memory.pages() * Memory.PAGE_SIZE;
        }

        boolean fits(long ptr, long len) {
            return ptr + len <= size();
        }

        /** Null when the range lies outside memory. */
        byte[] read(long ptr, long len) {
            return fits(ptr, len) ? memory.readBytes((int) ptr, (int) len) : null;
        }

        boolean write(long ptr, byte[] data, int offset, int len) {
            if (!fits(ptr, len)) {
                return false;
            }
            memory.write((int) ptr, data, offset, len);
            return true;
        }

        boolean writeU32(long ptr, int value) {
            if (!fits(ptr, 4)) {
                return false;
            }
            memory.writeI32((int) ptr, value);
            return true;
        }

        boolean writeU16(long ptr, int value) {
            if (!fits(ptr, 2)) {
                return false;
            }
            memory.writeShort((int) ptr, (short) value);
            return true;
        }
    }

    private static long u32(long v) {
        return v & 0xFFFF_FFFFL;
    }

    private int req(Instance instance, long[] a) {
        if (instance.memory() == null) {
            return MEMORY_NOT_FOUND;
        }
        if (sessions.size() >= limits.maxSessions()) {
            return TOO_MANY_SESSIONS;
        }
        Guest guest = new Guest(instance.memory());
        long urlLen = u32(a[1]);
        long methodLen = u32(a[3]);
        long headersLen = u32(a[5]);
        long bodyLen = u32(a[7]);
        if (urlLen > MAX_URL) {
            return INVALID_URL;
        }
        byte[] urlBytes = guest.read(u32(a[0]), urlLen);
        if (urlBytes == null) {
            return BUFFER_TOO_SMALL;
        }
        String urlText = utf8(urlBytes);
        if (urlText == null) {
            return UTF8;
        }
        URI url = absoluteHttpUrl(urlText);
        if (url == null) {
            return INVALID_URL;
        }
        // Before the method, headers or body are even read: a refused module learns nothing more.
        if (!grant.allows(url)) {
            diagnostics.accept("outbound HTTP to " + url.getScheme() + "://" + url.getAuthority()
                    + " refused: not in allowed_http_hosts");
            return DESTINATION_NOT_ALLOWED;
        }
        if (methodLen > MAX_METHOD) {
            return INVALID_METHOD;
        }
        byte[] methodBytes = guest.read(u32(a[2]), methodLen);
        if (methodBytes == null) {
            return BUFFER_TOO_SMALL;
        }
        String method = new String(methodBytes, StandardCharsets.ISO_8859_1);
        if (!TOKEN.matcher(method).matches()) {
            return INVALID_METHOD;
        }
        if (headersLen > MAX_HEADERS) {
            return INVALID_ENCODING;
        }
        byte[] headerBytes = guest.read(u32(a[4]), headersLen);
        if (headerBytes == null) {
            return BUFFER_TOO_SMALL;
        }
        String headerText = utf8(headerBytes);
        if (headerText == null) {
            return UTF8;
        }
        if (bodyLen > limits.maxResponseBytes()) {
            diagnostics.accept("outbound HTTP to " + url + ": request body of " + bodyLen + " bytes above the cap of "
                    + limits.maxResponseBytes());
            return REQUEST_ERROR;
        }
        byte[] body = guest.read(u32(a[6]), bodyLen);
        if (body == null) {
            return BUFFER_TOO_SMALL;
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .timeout(limits.timeout())
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            if (!addHeaders(builder, headerText)) {
                return INVALID_ENCODING;
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // The JDK refuses methods and headers it manages itself (CONNECT, Host, Content-Length...).
            diagnostics.accept("outbound HTTP to " + url + ": " + e.getMessage());
            return INVALID_ENCODING;
        }
        HttpResponse<byte[]> response = send(request);
        if (response == null) {
            return REQUEST_ERROR;
        }
        int handle = nextHandle;
        if (!guest.writeU16(u32(a[8]), response.statusCode()) || !guest.writeU32(u32(a[9]), handle)) {
            return MEMORY_ACCESS;
        }
        nextHandle++;
        sessions.put(handle, new Session(response.headers().map(), response.body()));
        return SUCCESS;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
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
        CompletableFuture<HttpResponse<byte[]>> future = Client.INSTANCE.sendAsync(request, info -> {
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
            String why = cause instanceof TooLarge
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

    private static final class TooLarge extends Exception {
        TooLarge(int cap) {
            super("response body larger than the cap of " + cap + " bytes");
        }
    }

    /** Collects a response body and gives up (closing the connection) at the first byte past the cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (item.remaining() > cap - bytes.size()) {
                    cancel();
                    result.completeExceptionally(new TooLarge(cap));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        void cancel() {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel();
            }
        }
    }

    private int close(int handle) {
        return sessions.remove(handle) == null ? INVALID_HANDLE : SUCCESS;
    }

    /** body_read(handle, buf, buf_len, written): the next bytes of the body; 0 written at its end. */
    private int bodyRead(Instance instance, long[] a) {
        Session s = sessions.get((int) a[0]);
        if (s == null) {
            return INVALID_HANDLE;
        }
        if (instance.memory() == null) {
            return MEMORY_NOT_FOUND;
        }
        Guest guest = new Guest(instance.memory());
        int n = (int) Math.min(u32(a[2]), s.body.length - s.position);
        if (!guest.write(u32(a[1]), s.body, s.position, n) || !guest.writeU32(u32(a[3]), n)) {
            return MEMORY_ACCESS;
        }
        s.position += n;
        return SUCCESS;
    }

    /** header_get(handle, name, name_len, buf, buf_len, written): the header's first value. */
    private int headerGet(Instance instance, long[] a) {
        Session s = sessions.get((int) a[0]);
        if (s == null) {
            return INVALID_HANDLE;
        }
        if (instance.memory() == null) {
            return MEMORY_NOT_FOUND;
        }
        Guest guest = new Guest(instance.memory());
        long nameLen = u32(a[2]);
        if (nameLen > MAX_HEADERS) {
            return HEADER_NOT_FOUND;
        }
        byte[] nameBytes = guest.read(u32(a[1]), nameLen);
        if (nameBytes == null) {
            return BUFFER_TOO_SMALL;
        }
        String name = utf8(nameBytes);
        if (name == null) {
            return UTF8;
        }
        String value = s.headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst()
                .orElse(null);
        if (value == null) {
            return HEADER_NOT_FOUND;
        }
        return writeOut(guest, value.getBytes(StandardCharsets.ISO_8859_1), u32(a[3]), u32(a[4]), u32(a[5]));
    }

    /** headers_get_all(handle, buf, buf_len, written): every header as "name:value\n" lines. */
    private int headersGetAll(Instance instance, long[] a) {
        Session s = sessions.get((int) a[0]);
        if (s == null) {
            return INVALID_HANDLE;
        }
        if (instance.memory() == null) {
            return MEMORY_NOT_FOUND;
        }
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
        return writeOut(
                new Guest(instance.memory()),
                all.toString().getBytes(StandardCharsets.ISO_8859_1),
                u32(a[1]),
                u32(a[2]),
                u32(a[3]));
    }

    private static int writeOut(Guest guest, byte[] data, long ptr, long capacity, long writtenPtr) {
        if (data.length > capacity) {
            return BUFFER_TOO_SMALL;
        }
        return guest.write(ptr, data, 0, data.length) && guest.writeU32(writtenPtr, data.length)
                ? SUCCESS
                : MEMORY_ACCESS;
    }
}
