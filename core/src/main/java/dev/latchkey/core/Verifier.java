package dev.latchkey.core;

import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.core.internal.Scopes;
import inet.ipaddr.IPAddress;
import java.time.Clock;
import java.time.Instant;
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
 *       {@link VerifyCode#MALFORMED} without any lookup;</li>
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

    private final KeyResolver resolver;
    private final TokenCodec codec;
    private final SecretHasher hasher;
    private final Clock clock;
    private final UsageSink usage;

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
        ApiKey key;
        SecretHash presented;
        switch (codec.classify(token)) {
            case GENERATED -> {
                key = resolver.byId(codec.keyIdOf(token));
                if (key == null) {
                    return Verification.notFound();
                }
                presented = hasher.hash(token);
            }
            case IMPORTED -> {
                presented = hasher.hash(token);
                key = resolver.byImportedHash(presented);
                if (key == null) {
                    return Verification.notFound();
                }
            }
            default -> {
                return Verification.malformed();
            }
        }
        Instant now = clock.instant();
        boolean previous;
        if (key.current().hash().matches(presented)) {
            previous = false;
        } else {
            Credential graced = key.previousIfValid(now);
            if (graced == null || !graced.hash().matches(presented)) {
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
        }
        return new Verification(code, key, previous);
    }

    private static VerifyCode decide(ApiKey key, Instant now, @Nullable IPAddress clientIp,
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
