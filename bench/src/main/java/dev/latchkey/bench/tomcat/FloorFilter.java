package dev.latchkey.bench.tomcat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The physical floor of {@code bench/run-tomcat.sh}, as a filter: the least any API-key check can do per request,
 * as {@code VerifierBenchmark.floor} defines it. It reads the bearer token, looks the key id up in a {@code HashMap}
 * loaded once at start (no I/O per request), hashes the token with SHA-256 (one {@code MessageDigest} per thread) and
 * compares in constant time. No status, expiry, scopes, IP rules, usage or metrics. Init-param {@code redis-url}: it
 * loads every {@code hw:<key id>} hash {@link TomcatBenchSetup} wrote.
 *
 * <p>What this variant keeps of the unfiltered throughput is the most any filter that hashes the token can keep.
 */
public final class FloorFilter implements Filter {

    private static final int ID_START = "lk_live_".length();
    private static final int ID_END = ID_START + 26;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private final Map<String, byte[]> hashes = new HashMap<>();

    @Override
    public void init(FilterConfig config) {
        RedisClient client = RedisClient.create(config.getInitParameter("redis-url"));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches("hw:*").limit(1_000));
                for (String key : page.getKeys()) {
                    hashes.put(key.substring(3), HexFormat.of().parseHex(redis.get(key)));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String header = ((HttpServletRequest) req).getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
        byte[] stored = token.length() > ID_END ? hashes.get(token.substring(ID_START, ID_END)) : null;
        if (stored == null
                || !MessageDigest.isEqual(stored, SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)))) {
            ((HttpServletResponse) resp).sendError(401);
            return;
        }
        chain.doFilter(req, resp);
    }

    @Override
    public void destroy() {
        hashes.clear();
    }
}
