package dev.latchkey.core;

import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.core.internal.Scopes;
import inet.ipaddr.IPAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The whole authentication decision for one request, free of servlet and HTTP types: the servlet filter and the
 * admin API's {@code POST /v1/verify} both call it, so they can never disagree.
 *
 * <p>The order of the checks is part of the security contract:
 * <ol>
 *   <li>the token's form: a generated token with a bad checksum, or a value that is no token, is
 *       {@link VerifyCode#MALFORMED} without any lookup that could reach a store (a key the resolver holds in memory
 *       is consulted first: a token whose hash is that key's generated credential cannot have a bad checksum);</li>
 *   <li>the key: by the id inside a generated token, or by the hash of an imported one; none is
 *       {@link VerifyCode#NOT_FOUND};</li>
 *   <li>the secret: its hash against the current one and the previous one while its grace window is open, in
 *       constant time; a mismatch is also {@link VerifyCode#NOT_FOUND}, indistinguishable from an unknown id;</li>
 *   <li>only then the status words ({@code blocked}, {@code expired}, {@code inactive}, in that order), the client
 *       address against the key's active IP rules, and the required scopes (all of them).</li>
 * </ol>
 *
 * <p>A granted verification is counted as one use through the {@link UsageSink}. Thread-safe.
 */
public final class Verifier {

    private static final int GRANTED_SLOTS = 1024;

    private final KeyResolver resolver;
    private final TokenCodec codec;
    private final SecretHasher hasher;
    private final Clock clock;
    private final UsageSink usage;
    private final Verification[] granted = new Verification[GRANTED_SLOTS];

    /**
     * Creates a verifier.
     *
     * @param resolver where keys are looked up (a cache, or {@link KeyResolver#direct})
     * @param codec    the token format, with the issuer's prefix
     * @param hasher   the issuer's hasher (same pepper)
     * @param clock    the time source for expiry and grace windows
     * @param usage    where granted uses are counted
     */
    public Verifier(KeyResolver resolver, TokenCodec codec, SecretHasher hasher, Clock clock, UsageSink usage) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.usage = Objects.requireNonNull(usage, "usage");
    }

    /** Returns the token codec this verifier parses with. */
    public TokenCodec codec() {
        return codec;
    }

    /** Verifies a token with no required scope. */
    public Verification verify(CharSequence token, @Nullable IPAddress clientIp) {
        return verify(token, clientIp, List.of(), null);
    }

    /** Verifies a token for a request that needs every scope in {@code requiredScopes}. */
    public Verification verify(CharSequence token, @Nullable IPAddress clientIp, Collection<String> requiredScopes) {
        return verify(token, clientIp, requiredScopes, null);
    }

    /**
     * Verifies a token.
     *
     * @param token          the presented token
     * @param clientIp       the client's address, or {@code null} when unknown (then keys with active IP rules are
     *                       denied)
     * @param requiredScopes scopes the request needs, all of them
     * @param tenantId       when not {@code null}, keys of other tenants read {@link VerifyCode#NOT_FOUND} (for
     *                       tenant-scoped callers of the verify endpoint)
     * @throws StoreUnavailableException when the key cannot be looked up; callers answer 503 (fail closed)
     */
    public Verification verify(CharSequence token, @Nullable IPAddress clientIp, Collection<String> requiredScopes,
            @Nullable String tenantId) {
        return verify(token, 0, token.length(), clientIp, requiredScopes, tenantId);
    }

    /**
     * Verifies the token that is {@code text} from {@code from} (inclusive) to {@code to} (exclusive), as
     * {@link #verify(CharSequence, IPAddress, Collection, String)} verifies a whole one. A door that finds the token
     * inside a header hands the header over as it is, so the token is never copied out of it.
     *
     * @throws IndexOutOfBoundsException when the range is not inside {@code text}
     */
    public Verification verify(CharSequence text, int from, int to, @Nullable IPAddress clientIp,
            Collection<String> requiredScopes, @Nullable String tenantId) {
        Objects.checkFromToIndex(from, to, text.length());
        TokenScratch scratch = TokenScratch.get();
        if (!scratch.load(text, from, to)) {
            return Verification.malformed();
        }
        ApiKey key;
        switch (codec.shapeLoaded(scratch)) {
            case GENERATED -> {
                // Hashed before any lookup, so the resolver cannot disturb this thread's scratch in between.
                hasher.digestLoaded(scratch);
                int idAt = from + codec.keyIdOffset();
                ApiKey held = resolver.heldWithin(text, idAt);
                // A token whose hash is a generated credential's is that credential's token byte for byte, whose
                // characters and checksum are right by construction: checking them would change no answer. Every
                // other token has them checked before any lookup that could reach the store.
                boolean known = held != null && !held.current().imported()
                        && held.current().hash().matchesDigest(scratch.digest);
                if (!known && !codec.generatedContentLoaded(scratch)) {
                    return Verification.malformed();
                }
                key = held != null ? held : resolver.byIdWithin(text, idAt);
                if (key == null) {
                    return Verification.notFound();
                }
            }
            case IMPORTED -> {
                hasher.digestLoaded(scratch);
                key = resolver.byImportedHash(SecretHash.of(scratch.digest));
                if (key == null) {
                    return Verification.notFound();
                }
            }
            default -> {
                return Verification.malformed();
            }
        }
        byte[] presented = scratch.digest;
        long now = clock.millis();
        boolean previous;
        if (key.current().hash().matchesDigest(presented)) {
            previous = false;
        } else {
            Credential graced = key.previousIfValid(now);
            if (graced == null || !graced.hash().matchesDigest(presented)) {
                return Verification.notFound();
            }
            previous = true;
        }
        if (tenantId != null && !tenantId.equals(key.tenantId())) {
            return Verification.notFound();
        }
        VerifyCode code = decide(key, now, clientIp, requiredScopes);
        if (code == VerifyCode.VALID) {
            usage.record(key.id(), now, clientIp == null ? null : IpAddresses.canonical(clientIp));
            return previous ? new Verification(code, key, true) : grantedFor(key);
        }
        return new Verification(code, key, previous);
    }

    /**
     * The granted verification of a key object, made once per cached key object rather than once per call: records
     * are immutable, so every thread may share one. A slot holds the last key that hashed to it.
     */
    private Verification grantedFor(ApiKey key) {
        int slot = System.identityHashCode(key) & (GRANTED_SLOTS - 1);
        Verification v = granted[slot];
        if (v == null || v.key() != key) {
            v = new Verification(VerifyCode.VALID, key, false);
            granted[slot] = v;
        }
        return v;
    }

    private static VerifyCode decide(ApiKey key, long now, @Nullable IPAddress clientIp,
            Collection<String> requiredScopes) {
        switch (key.effectiveStatus(now)) {
            case BLOCKED:
                return VerifyCode.BLOCKED;
            case EXPIRED:
                return VerifyCode.EXPIRED;
            case INACTIVE:
                return VerifyCode.INACTIVE;
            default:
                break;
        }
        if (!key.allowsAddress(clientIp)) {
            return VerifyCode.IP_NOT_ALLOWED;
        }
        if (!Scopes.grantsAll(key.scopes(), requiredScopes)) {
            return VerifyCode.INSUFFICIENT_SCOPE;
        }
        return VerifyCode.VALID;
    }
}
