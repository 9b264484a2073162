package dev.latchkey.bench.tomcat;

import io.lettuce.core.RedisClient;
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
import java.util.HexFormat;

/**
 * The baseline of {@code bench/run-tomcat.sh}: the API-key filter one writes by hand in an afternoon. Per request it
 * reads the bearer token, takes the key id out of it, does one Redis {@code GET} of the stored hash (one shared
 * Lettuce connection) and compares the token's SHA-256 with it. No cache, no status, scopes or usage.
 * Init-param {@code redis-url}; the stored hashes are {@code hw:<key id>} = the token's SHA-256 in hex.
 */
public final class RedisLookupFilter implements Filter {

    private static final int ID_START = "lk_live_".length();
    private static final int ID_END = ID_START + 26;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @Override
    public void init(FilterConfig config) {
        client = RedisClient.create(config.getInitParameter("redis-url"));
        connection = client.connect();
        redis = connection.sync();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String header = ((HttpServletRequest) req).getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
        String stored = token.length() > ID_END ? redis.get("hw:" + token.substring(ID_START, ID_END)) : null;
        if (stored == null || !MessageDigest.isEqual(HexFormat.of().parseHex(stored), sha256(token))) {
            ((HttpServletResponse) resp).sendError(401);
            return;
        }
        chain.doFilter(req, resp);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        connection.close();
        client.shutdown();
    }
}
