package dev.latchkey.admin;

import dev.latchkey.cache.LatchkeyMetrics;
import dev.latchkey.core.KeyManager;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Verifier;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;

/**
 * What one running admin service shares between requests: the store, the rules, the verifier on the shared key
 * cache, the clock, the meters and the root token (kept only as its SHA-256, compared in constant time).
 */
final class AdminContext {

    private final KeyStore store;
    private final KeyManager manager;
    private final Verifier verifier;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final LatchkeyMetrics metrics;
    private final byte[] rootTokenHash;

    AdminContext(KeyStore store, KeyManager manager, Verifier verifier, Clock clock,
            PrometheusMeterRegistry registry, LatchkeyMetrics metrics, String rootToken) {
        this.store = store;
        this.manager = manager;
        this.verifier = verifier;
        this.clock = clock;
        this.registry = registry;
        this.metrics = metrics;
        this.rootTokenHash = sha256(rootToken);
    }

    KeyStore store() { return store; }
    KeyManager manager() { return manager; }
    Verifier verifier() { return verifier; }
    Clock clock() { return clock; }
    PrometheusMeterRegistry registry() { return registry; }
    LatchkeyMetrics metrics() { return metrics; }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Returns whether {@code token} is the root token, in time independent of where they differ. */
    boolean isRoot(String token) {
        return MessageDigest.isEqual(sha256(token), rootTokenHash);
    }

    @Override
    public String toString() {
        return "AdminContext[store=" + store.kind() + "]";
    }
}
