package dev.latchkey.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Raw HTTP/1.1 over a socket, for requests a normal client refuses to send (bad escapes, huge heads, bodies that
 * stop half-way). Shared by the tests of the admin service and the server guards.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** A parsed answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
        /** Returns a header's value by case-insensitive name, or {@code null}. */
        public @Nullable String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Opens a connection with a read timeout. */
    public static Socket open(int port, int timeoutMillis) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the bytes on a new connection and reads one answer. */
    public static Answer exchange(int port, String request) {
        try (Socket s = open(port, 10_000)) {
            send(s, request);
            return read(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes text (ISO-8859-1) to the socket. */
    public static void send(Socket s, String text) {
        try {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer: status line, headers and a body of {@code Content-Length} bytes (or up to close). */
    public static Answer read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String statusLine = line(in);
        if (statusLine.isEmpty()) {
            throw new IOException("connection closed before an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n = Integer.parseInt(line(in).trim(), 16); n > 0; n = Integer.parseInt(line(in).trim(), 16)) {
                out.write(in.readNBytes(n));
                line(in);
            }
            line(in);
            body = out.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
