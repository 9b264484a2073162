package dev.latchkey.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Just enough of the Redis protocol (RESP2) for the testkit to check that a server answers and to send it an
 * administrative command, without making testkit depend on a Redis client library. One command per connection:
 * slow, simple, and never used on a hot path.
 */
final class Resp {

    private Resp() {
    }

    /** A Redis error reply. */
    static final class ErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ErrorReply(String message) {
            super(message);
        }
    }

    /**
     * Sends one command and returns the reply: a {@link String} for simple and bulk strings, a {@link Long} for
     * integers, a {@link List} for arrays, {@code null} for nil.
     *
     * @throws IOException when the server cannot be reached
     * @throws ErrorReply  when Redis answers with an error
     */
    static @Nullable Object command(String host, int port, @Nullable String password, Duration timeout,
            String... args) throws IOException {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                write(out, "AUTH", password);
                read(in);
            }
            write(out, args);
            return read(in);
        }
    }

    /**
     * Polls {@code PING} until the server answers {@code PONG} or the deadline passes.
     *
     * @return whether it answered in time
     */
    static boolean awaitPong(String host, int port, @Nullable String password, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            try {
                if ("PONG".equals(command(host, port, password, Duration.ofMillis(500), "PING"))) {
                    return true;
                }
            } catch (IOException | ErrorReply e) {
                // not up yet (or still loading)
            }
            pause();
        }
        return false;
    }

    /** Waits a little between polls; a short park, not a fixed wait for readiness. */
    static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while waiting for Redis");
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            buf.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(b);
            buf.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(buf.toByteArray());
        out.flush();
    }

    private static @Nullable Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed by Redis");
        }
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                if (data.length != len + 2) {
                    throw new IOException("short bulk reply");
                }
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<@Nullable Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by Redis");
            }
            if (prev == '\r' && c == '\n') {
                byte[] b = buf.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
            }
            buf.write(c);
            prev = c;
        }
    }
}
