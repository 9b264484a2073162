package dev.latchkey.filter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends hand-written HTTP/1.1 requests, for what the JDK client refuses to send (control characters in headers,
 * raw non-ASCII bytes, unnormalized paths). Returns the status code.
 */
final class RawHttp {

    private RawHttp() {
    }

    static int send(int port, String method, String rawPath, List<String> headerLines) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n");
            sb.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (String h : headerLines) {
                sb.append(h).append("\r\n");
            }
            sb.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            String[] parts = status.split(" ");
            if (parts.length < 2) {
                return -1; // the server closed the connection without an answer
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
