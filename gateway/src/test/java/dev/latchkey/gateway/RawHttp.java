package dev.latchkey.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written HTTP/1.1 client over a socket that can be bound to a chosen local address (127.0.0.2 and friends),
 * which the JDK {@code HttpClient} cannot do: so a test can be a client with its own address. One request per
 * connection ({@code Connection: close}); reads {@code Content-Length}, chunked and read-to-close bodies.
 */
final class RawHttp {

    /** An answer: status, headers by lower-case name, body. */
    record Reply(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        boolean has(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends a request from 127.0.0.1. */
    static Reply send(int port, String method, String target, String... headerLines) throws IOException {
        return send("127.0.0.1", port, method, target, headerLines);
    }

    /**
     * Sends a request from {@code localAddress} to 127.0.0.1:{@code port}.
     *
     * @param headerLines {@code "Name: value"} lines
     */
    static Reply send(String localAddress, int port, String method, String target, String... headerLines)
            throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(15_000);
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            sb.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String h : headerLines) {
                sb.append(h).append("\r\n");
            }
            if (method.equals("POST") || method.equals("PUT")) {
                sb.append("Content-Length: 0\r\n");
            }
            sb.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(s.getInputStream(), method.equals("HEAD"));
        }
    }

    /** Opens a connection from 127.0.0.1 to 127.0.0.1:{@code port} that the caller writes raw bytes on. */
    static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Writes raw text (ISO-8859-1) on a connection. */
    static void write(Socket s, String raw) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one answer from a connection. */
    static Reply read(Socket s) throws IOException {
        return read(s.getInputStream(), false);
    }

    /** Sends a whole raw request (which should say {@code Connection: close}) and reads the answer. */
    static Reply exchange(int port, String raw) throws IOException {
        try (Socket s = open(port)) {
            write(s, raw);
            return read(s);
        }
    }

    private static Reply read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).strip());
        }
        if (head || status == 204 || status == 304) {
            return new Reply(status, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (cl != null) {
            body.write(in.readNBytes(Integer.parseInt(cl.get(0))));
        } else {
            in.transferTo(body);
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
