package dev.latchkey.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a Latchkey Redis URL (API.md §1) points at: one server (standalone, TLS, or a Sentinel-watched master) or a
 * Redis Cluster given as a comma-separated list of seed nodes. A cluster node written without a scheme
 * ({@code redis://h1:7000,h2:7001}) takes the first node's scheme and credentials.
 *
 * @param cluster whether the URL names a cluster
 * @param uris    the single server, or the cluster's seed nodes
 */
record RedisTarget(boolean cluster, List<RedisURI> uris) {

    private static final List<String> SCHEMES = List.of("redis://", "rediss://", "redis-sentinel://");

    RedisTarget {
        uris = List.copyOf(uris);
    }

    /** Returns whether a URL has one of the schemes this store opens. */
    static boolean supports(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        return SCHEMES.stream().anyMatch(lower::startsWith);
    }

    /**
     * Parses a URL and applies the command timeout to every node.
     *
     * @throws IllegalArgumentException when it is malformed; the message never repeats the URL (it may hold a
     *     password)
     */
    static RedisTarget parse(String url, Duration timeout) {
        String text = url.trim();
        if (!supports(text)) {
            throw new IllegalArgumentException(
                    "a Redis URL starts with redis://, rediss:// or redis-sentinel://");
        }
        try {
            if (text.toLowerCase(Locale.ROOT).startsWith("redis-sentinel://") || text.indexOf(',') < 0) {
                RedisURI uri = RedisURI.create(text);
                uri.setTimeout(timeout);
                return new RedisTarget(false, List.of(uri));
            }
            String[] parts = text.split(",");
            String first = parts[0].trim();
            int schemeEnd = first.indexOf("://") + 3;
            int at = first.lastIndexOf('@');
            String scheme = first.substring(0, schemeEnd);
            String credentials = at > schemeEnd ? first.substring(schemeEnd, at + 1) : "";
            List<RedisURI> nodes = new ArrayList<>();
            for (String part : parts) {
                String p = part.trim();
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("empty node in a cluster URL");
                }
                RedisURI uri = RedisURI.create(p.contains("://") ? p : scheme + credentials + p);
                uri.setTimeout(timeout);
                nodes.add(uri);
            }
            return new RedisTarget(true, nodes);
        } catch (IllegalArgumentException e) {
            // Lettuce's message may repeat the URL, password included: keep neither it nor the cause.
            throw new IllegalArgumentException("malformed Redis URL (" + e.getClass().getSimpleName()
                    + "); expected redis[s]://[[user]:password@]host[:port][/database] or a comma-separated list");
        }
    }

    /** Describes the target for logs without credentials, e.g. {@code cluster of 3 nodes} or {@code h:6379}. */
    String describe() {
        if (cluster) {
            return "Redis Cluster (" + uris.size() + " seed nodes)";
        }
        RedisURI u = uris.get(0);
        if (!u.getSentinels().isEmpty()) {
            return "Redis via Sentinel (master " + u.getSentinelMasterId() + ")";
        }
        return "Redis at " + u.getHost() + ":" + u.getPort() + (u.isSsl() ? " (TLS)" : "");
    }
}
