package dev.latchkey.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The slow-body probe of issue #12 against a running admin service: opens many connections that each send
 * {@code POST /v1/keys} with {@code Transfer-Encoding: chunked}, one chunk {@code 1\r\n{\r\n}, then nothing, and
 * measures {@code GET /health} (a new connection per probe, 3 s timeout) before and while they are open. A probe
 * that times out counts as 3 s in the percentiles and is reported as a failure.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.SlowBodyDriver host:port
 * [connections=500] [unauth|auth|mixed] [admin-token] [probes=200]}; start the service first, e.g.
 * {@code LATCHKEY_PORT=18080 LATCHKEY_ADMIN_TOKEN=bench java -jar admin-api/target/latchkey-admin.jar}.
 */
public final class SlowBodyDriver {

    private static final int PROBE_TIMEOUT_MS = 3_000;

    private SlowBodyDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SlowBodyDriver host:port [connections] [unauth|auth|mixed] [token] [probes]");
            System.exit(2);
        }
        String[] hp = args[0].replaceFirst("^https?://", "").split(":");
        InetSocketAddress target = new InetSocketAddress(hp[0], Integer.parseInt(hp[1].replace("/", "")));
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        String mode = args.length > 2 ? args[2] : "mixed";
        String token = args.length > 3 ? args[3] : "";
        int probes = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        if (!mode.equals("unauth") && token.isEmpty()) {
            throw new IllegalArgumentException("mode " + mode + " needs the admin token");
        }

        System.out.println("baseline:   " + probe(target, probes));
        List<Socket> slow = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < connections; i++) {
                boolean auth = mode.equals("auth") || mode.equals("mixed") && i % 2 == 0;
                try {
                    Socket s = new Socket();
                    s.connect(target, PROBE_TIMEOUT_MS);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /v1/keys HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                            + (auth ? "Authorization: Bearer " + token + "\r\n" : "")
                            + "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    slow.add(s);
                } catch (IOException e) {
                    refused++;
                }
            }
            System.out.printf(Locale.ROOT, "opened %d slow-body connections (%s), %d refused%n", slow.size(), mode,
                    refused);
            System.out.println("under load: " + probe(target, probes));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /** Sends {@code GET /health} on a new connection per probe and summarizes the latencies. */
    private static String probe(InetSocketAddress target, int probes) {
        long[] samples = new long[probes];
        int failures = 0;
        for (int i = 0; i < probes; i++) {
            long start = System.nanoTime();
            boolean ok = health(target);
            samples[i] = ok ? System.nanoTime() - start : PROBE_TIMEOUT_MS * 1_000_000L;
            failures += ok ? 0 : 1;
        }
        return new Stats(samples, probes).summary() + " failures=" + failures;
    }

    private static boolean health(InetSocketAddress target) {
        try (Socket s = new Socket()) {
            s.connect(target, PROBE_TIMEOUT_MS);
            s.setSoTimeout(PROBE_TIMEOUT_MS);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            return n == head.length && new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200");
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
