package dev.wasmorch.shim.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WAGI (CGI) response read from a module's stdout: header lines, an empty line, the body. As in
 * Spin: {@code Status: CODE [TEXT]} sets the status, {@code Location} without a status means 302, and
 * a response needs {@code Content-Type}, {@code Status} or {@code Location} to count as one.
 *
 * @param status  the HTTP status
 * @param headers the headers to send, in order
 * @param body    the body
 */
record CgiResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    /** The module's output was no CGI response; the message says why. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static CgiResponse parse(byte[] stdout) throws Malformed {
        if (stdout.length == 0) {
            throw new Malformed("the module wrote nothing to stdout (a WAGI module must print CGI headers, "
                    + "an empty line and the body)");
        }
        // Scan for the blank line ending the headers; CRs inside the header block are ignored.
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int bodyStart = -1;
        int last = -1;
        for (int i = 0; i < stdout.length; i++) {
            int b = stdout[i];
            if (b == '\r') {
                continue;
            }
            if (b == '\n' && last == '\n') {
                bodyStart = i + 1;
                break;
            }
            head.write(b);
            last = b;
        }
        if (bodyStart < 0) {
            throw new Malformed("the module's output has no empty line ending the CGI headers");
        }
        int status = 200;
        boolean explicitStatus = false;
        boolean sufficient = false;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line : head.toString(StandardCharsets.UTF_8).trim().split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Malformed("corrupt CGI header line: \"" + line + "\"");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "status" -> {
                    String code = value.split(" ", 2)[0];
                    try {
                        status = Integer.parseInt(code);
                    } catch (NumberFormatException e) {
                        throw new Malformed("Status header \"" + value + "\" has no numeric code");
                    }
                    if (status < 100 || status > 999) {
                        throw new Malformed("Status header \"" + value + "\" is out of range");
                    }
                    explicitStatus = true;
                    sufficient = true;
                }
                case "location" -> {
                    headers.add(Map.entry("Location", value));
                    if (!explicitStatus) {
                        status = 302;
                    }
                    sufficient = true;
                }
                default -> {
                    if (name.equalsIgnoreCase("Content-Type")) {
                        sufficient = true;
                    }
                    if (!name.chars().allMatch(CgiResponse::isTokenChar)) {
                        throw new Malformed("invalid header name \"" + name + "\"");
                    }
                    headers.add(Map.entry(name, value));
                }
            }
        }
        if (!sufficient) {
            throw new Malformed("the CGI headers name none of Content-Type, Status or Location");
        }
        byte[] body = new byte[stdout.length - bodyStart];
        System.arraycopy(stdout, bodyStart, body, 0, body.length);
        return new CgiResponse(status, List.copyOf(headers), body);
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
