package dev.latchkey.admin;

import dev.latchkey.core.HistorySource;
import dev.latchkey.core.KeyManager;
import dev.latchkey.core.KeyStore;
import dev.latchkey.engine.Authenticator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * What one running admin service shares between requests: the store, the rules, the two authentication engines
 * (verify's, with meters, and the admin authentication's, without), the clock, the meters and the root token (kept
 * only as its SHA-256, compared in constant time).
 */
final class AdminContext {

    private final KeyStore store;
    private final KeyManager manager;
    private final Authenticator verifyAuthenticator;
    private final Authenticator adminAuthenticator;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final byte[] rootTokenHash;
    private final boolean webhookAllowPrivate;
    private volatile @Nullable HistorySource historySource;

    AdminContext(KeyStore store, KeyManager manager, Authenticator verifyAuthenticator,
            Authenticator adminAuthenticator, Clock clock, PrometheusMeterRegistry registry, String rootToken,
            boolean webhookAllowPrivate) {
        this.webhookAllowPrivate = webhookAllowPrivate;
        this.store = store;
        this.manager = manager;
        this.verifyAuthenticator = verifyAuthenticator;
        this.adminAuthenticator = adminAuthenticator;
        this.clock = clock;
        this.registry = registry;
        this.rootTokenHash = sha256(rootToken);
    }

    KeyStore store() { return store; }
    KeyManager manager() { return manager; }
    /** The engine of {@code POST /v1/verify}, which reports the §6 meters. */
    Authenticator verifyAuthenticator() { return verifyAuthenticator; }
    /** The engine of the service's own authentication, which records no meters. */
    Authenticator adminAuthenticator() { return adminAuthenticator; }
    Clock clock() { return clock; }
    /** Whether webhook URLs may name private addresses ({@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE}). */
    boolean webhookAllowPrivate() { return webhookAllowPrivate; }
    /** Where history of {@code postgresql} storage configs is read, or {@code null} when none is wired. */
    @Nullable HistorySource historySource() { return historySource; }

    void historySource(@Nullable HistorySource source) {
        this.historySource = source;
    }
    PrometheusMeterRegistry registry() { return registry; }

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
