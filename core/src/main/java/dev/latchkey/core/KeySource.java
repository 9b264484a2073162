package dev.latchkey.core;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the store SPI: everything a door (the servlet filter, the gateway, {@code POST /v1/verify})
 * needs on the request path, and nothing of the admin side. A web application that keeps its keys elsewhere
 * implements only this and hands it to the filter; the admin service needs the whole {@link KeyStore}, which extends
 * it with writes, listing, jobs and the admin's quota and defaults writes (as Spring Session's
 * {@code FindByIndexNameSessionRepository} extends {@code SessionRepository}).
 *
 * <p>"Read side" means what a door may do, which includes two counters: {@link #recordUsage} (usage batches) and
 * {@link #charge} (the per-request rate-limit and quota charge). Neither changes a key's record or version.
 *
 * <p><b>Contract</b> (checked by the testkit's store contract):
 * <ul>
 *   <li>implementations are thread-safe;</li>
 *   <li>{@link #recordUsage} never changes a key's {@code version} or {@code updatedAt};</li>
 *   <li>every change to a key, by this node or another, is announced to subscribers ({@link #subscribe}); a
 *       subscriber that may have missed events gets {@link KeyEvent#allStale()};</li>
 *   <li>a store that cannot be reached throws {@link StoreUnavailableException}, never returns "not found".</li>
 * </ul>
 */
public interface KeySource extends AutoCloseable {

    /** Returns a short name of the backend for health answers and logs, such as {@code memory} or {@code redis}. */
    String kind();

    /**
     * Returns the key with this id, with its usage.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<ApiKey> find(String id);

    /**
     * Returns the key whose current, or still-graced previous, imported credential has this hash. An index entry
     * whose record no longer carries that hash is ignored.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<ApiKey> findByImportedHash(SecretHash hash);

    /**
     * Adds a batch of usage: counts add, and the last use moves forward only. Each key's part of a batch is applied
     * at most once (by batch id), so a retried or replayed batch does not count twice. Deltas for unknown keys are
     * dropped.
     *
     * @throws StoreUnavailableException when the store cannot be reached (the batch may have been applied in part;
     *     retry it with the same id)
     */
    void recordUsage(UsageBatch batch);

    /** Registers a listener for change events, including events caused by other nodes. */
    Subscription subscribe(KeyEventListener listener);

    /**
     * Checks that the store answers, quickly.
     *
     * @throws StoreUnavailableException when it does not
     */
    void ping();

    /**
     * Returns a store-wide setting, such as {@value #HASHER_CHECK}, or {@code null} when unset.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    @Nullable String setting(String name);

    /**
     * Returns whether this store keeps rate limits, quota balances and tenant defaults (API.md §8, §9). The methods
     * below throw {@link UnsupportedOperationException} when it does not; both built-in stores do.
     */
    default boolean supportsLimits() {
        return false;
    }

    /**
     * Charges one request of a key against its rate limit and quota, atomically: the rate-limit window and the
     * balance are both charged, or neither is. This is the one store call on the request path of a key with a
     * limit or a quota; a key with neither is never charged.
     *
     * <p><b>Decision.</b> The rate limit is checked first: {@code cost} is admitted when it is at most what is left in
     * the current aligned window ({@link LimitWindows#windowStart}), else the verdict is
     * {@link ChargeResult.Verdict#RATE_LIMITED}. Then the quota: a balance never used under a spec starts at its
     * limit; a balance whose period ended refills to the limit first; {@code cost} is admitted when it is at most the
     * balance, else the verdict is {@link ChargeResult.Verdict#QUOTA_EXCEEDED} (refilling) or
     * {@link ChargeResult.Verdict#QUOTA_EXHAUSTED} (prepaid). Cost 0 is always admitted and spends nothing; a cost
     * above the rate limit never is. A denied request spends nothing (a refill it caused stays).
     *
     * <p><b>Time</b> is the store's own (Redis {@code TIME} inside the script; the in-memory store's clock), never
     * the caller's, so nodes with skewed clocks count the same windows.
     *
     * <p><b>Idempotency.</b> The first verdict for a {@code requestId} is remembered for a short while (the Redis
     * store: {@code RedisKeyStore.DEFAULT_CHARGE_MARKER_TTL}); charging the same id again returns that verdict with
     * {@link ChargeResult#replayed()} set and charges nothing. So a command that Lettuce re-sends after a reconnect,
     * or that the caller retries after a {@link StoreUnavailableException}, is charged at most once. The id must be
     * unique per request (the engine generates one per request, e.g. a ULID; a client's {@code X-Request-Id} is not
     * unique enough) and may be retried only with the same arguments.
     *
     * <p>Thread-safe; any number of nodes may charge one key concurrently, and never more than {@code limit} units
     * are admitted in one window.
     *
     * @param keyId     the key
     * @param requestId 1–128 characters of {@code [A-Za-z0-9._:-]}, unique per request
     * @param cost      0 to 1,000,000 units
     * @param rateLimit the key's effective rate limit, or {@code null} for none
     * @param quota     the key's effective quota spec, or {@code null} for none
     * @return the verdict; {@link ChargeResult.Verdict#UNKNOWN_KEY} when the key is gone (nothing is charged)
     * @throws IllegalArgumentException      when the request id or cost is out of range, or both limits are null
     * @throws StoreUnavailableException     when the store cannot be reached (the charge may have been applied:
     *                                       retrying with the same request id is exact)
     * @throws UnsupportedOperationException when {@link #supportsLimits()} is false
     */
    default ChargeResult charge(String keyId, String requestId, long cost,
            @Nullable RateLimit rateLimit,
            @Nullable Quota quota) {
        throw new UnsupportedOperationException(kind() + " stores do not keep rate limits");
    }

    /**
     * Charges as {@link #charge(String, String, long, RateLimit, Quota)} does, waiting at most {@code timeout} for the
     * store's answer, on the calling thread. A store that cannot bound its wait may ignore {@code timeout} (the
     * default does) and answer within its own timeout.
     *
     * @throws StoreUnavailableException when there is no answer within {@code timeout} (the charge may still be
     *                                   applied: retrying with the same request id is exact)
     */
    default ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota, Duration timeout) {
        return charge(keyId, requestId, cost, rateLimit, quota);
    }

    /**
     * Returns a tenant's defaults: {@link TenantDefaults#none} (version 0) when never set.
     *
     * @throws StoreUnavailableException     when the store cannot be reached
     * @throws UnsupportedOperationException when {@link #supportsLimits()} is false
     */
    default TenantDefaults tenantDefaults(String tenantId) {
        throw new UnsupportedOperationException(kind() + " stores do not keep tenant defaults");
    }

    /** The setting that holds the issuer's {@link SecretHasher#checkValue()}. */
    String HASHER_CHECK = "hasher-check";
    /** The setting that holds the issuer's token prefix. */
    String TOKEN_PREFIX = "token-prefix";

    /** Releases connections and threads. */
    @Override
    void close();
}
