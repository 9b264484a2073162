package dev.latchkey.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where keys live: the SPI every backend implements (the embedded {@link InMemoryKeyStore}, the Redis store, or a
 * user's own). It stores hashes, never plaintext, and is deliberately small: reads, a create, a compare-and-set
 * {@link #replace}, a delete, usage batches, jobs and change events. Every rule (status transitions, rotation and
 * grace windows, reset, validation, tenants) lives in {@link KeyManager} on top of {@code replace}, so every store
 * applies exactly the same rules and a new backend cannot get them subtly wrong.
 *
 * <p><b>Contract</b> (checked by the testkit's {@code KeyStoreContract}):
 * <ul>
 *   <li>implementations are thread-safe, and every mutating call is atomic for one key;</li>
 *   <li>usage is kept apart from the record: {@link #replace} never changes usage, and {@link #recordUsage} never
 *       changes {@code version} or {@code updatedAt};</li>
 *   <li>every successful mutation is announced to subscribers ({@link #subscribe}), on this node and, for shared
 *       stores, on every other node; a subscriber that may have missed events gets {@link KeyEvent#allStale()};</li>
 *   <li>a store that cannot be reached throws {@link StoreUnavailableException}, never returns "not found".</li>
 * </ul>
 */
public interface KeyStore extends AutoCloseable {

    /** Returns a short name of the backend for health answers and logs, such as {@code memory} or {@code redis}. */
    String kind();

    /**
     * Stores a new key and, for an imported current credential, indexes its hash.
     *
     * @throws DuplicateKeyException     when the id or the imported hash is taken
     * @throws StoreUnavailableException when the store cannot be reached
     */
    void create(ApiKey key);

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
     * Returns one page of keys matching the query, newest first, with the exact total.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Page<ApiKey> list(KeyQuery query);

    /**
     * Replaces a key's record if its stored version is still {@code expectedVersion}: the compare-and-set every
     * change goes through. {@code updated.version()} must be {@code expectedVersion + 1}; its usage is ignored.
     * Imported-hash index entries follow the credentials of {@code updated}.
     *
     * @return {@code true} when written, {@code false} when the key is gone or its version moved on
     * @throws StoreUnavailableException when the store cannot be reached
     */
    boolean replace(ApiKey updated, long expectedVersion);

    /**
     * Deletes a key, its usage and its index entries. Its tokens stop working at once on every node.
     *
     * @return whether a key was deleted
     * @throws StoreUnavailableException when the store cannot be reached
     */
    boolean delete(String id);

    /**
     * Adds a batch of usage: counts add, and the last use moves forward only. Each key's part of a batch is applied
     * at most once (by batch id), so a retried or replayed batch does not count twice. Deltas for unknown keys are
     * dropped.
     *
     * @throws StoreUnavailableException when the store cannot be reached (the batch may have been applied in part;
     *     retry it with the same id)
     */
    void recordUsage(UsageBatch batch);

    /**
     * Saves or overwrites a job. Stores may forget finished jobs after a while (the Redis store keeps them 7 days).
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    void saveJob(Job job);

    /**
     * Returns a job by id.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<Job> findJob(String id);

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
     * Sets a store-wide setting unless it is set already, and returns the value that holds afterwards. The admin
     * service records {@value #HASHER_CHECK} and {@value #TOKEN_PREFIX} this way, so that a filter started with
     * another pepper or prefix can say so at start-up instead of rejecting every token in silence.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    String initSetting(String name, String value);

    // ------------------------------------------------------------------ rate limits, quotas, tenant defaults

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
            @Nullable Quota quota, java.time.Duration timeout) {
        return charge(keyId, requestId, cost, rateLimit, quota);
    }

    /**
     * Returns a key's balance under {@code quota} as a charge would see it now (after any refill due, which this
     * read does not write): {@code limit} for a balance never used.
     *
     * @return the balance, or empty when the key does not exist
     * @throws StoreUnavailableException     when the store cannot be reached
     * @throws UnsupportedOperationException when {@link #supportsLimits()} is false
     */
    default Optional<QuotaState> quotaState(String keyId, Quota quota) {
        throw new UnsupportedOperationException(kind() + " stores do not keep quotas");
    }

    /**
     * Changes a key's balance under {@code quota} (an admin change, API.md §8 credits): applies a refill due first,
     * then the operation, atomically. Never takes the balance below 0 ({@link CreditResult.Status#BELOW_ZERO})
     * or above {@link Quota#MAX_BALANCE} ({@link CreditResult.Status#ABOVE_MAXIMUM}); a set or increment may take it
     * above the limit until the next refill. Every applied change adds 1 to the
     * balance's {@link QuotaState#sequence()} and tells every node ({@link KeyEvent.Type#LIMITS_CHANGED}), so any
     * "over the limit" verdict held in memory ends.
     *
     * <p><b>Stale and replayed writes.</b> With {@code expectedSequence}, the change applies only while the sequence
     * is still that value ({@link CreditResult.Status#STALE} otherwise), so a write computed from an old read, or
     * replayed after a newer admin write, never undoes the newer one; charges and refills never move the sequence.
     * The outcome of an {@code operationId} is remembered like a charge's (a replay returns it with
     * {@link CreditResult#replayed()} set and changes nothing), except {@code STALE}, which is not remembered.
     * Thread-safe.
     *
     * @param operationId      unique per admin operation, same form as a charge's request id
     * @param amount           0 to 10¹² (the caller checks the wire rules)
     * @param expectedSequence the sequence the caller read, or {@code null} to apply whatever it is
     * @throws StoreUnavailableException     when the store cannot be reached (retry with the same operation id)
     * @throws UnsupportedOperationException when {@link #supportsLimits()} is false
     */
    default CreditResult credit(String keyId, String operationId, CreditOp op, long amount, Quota quota,
            @Nullable Long expectedSequence) {
        throw new UnsupportedOperationException(kind() + " stores do not keep quotas");
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

    /**
     * Replaces a tenant's defaults if their stored version is still {@code expectedVersion} (0: never set);
     * {@code updated.version()} must be {@code expectedVersion + 1}. A write is told to every node
     * ({@link KeyEvent.Type#TENANT_DEFAULTS_CHANGED}) as fast as a key change.
     *
     * @return whether it was written
     * @throws StoreUnavailableException     when the store cannot be reached
     * @throws UnsupportedOperationException when {@link #supportsLimits()} is false
     */
    default boolean replaceTenantDefaults(TenantDefaults updated, long expectedVersion) {
        throw new UnsupportedOperationException(kind() + " stores do not keep tenant defaults");
    }

    // ------------------------------------------------------------------ key events (API.md §10)

    /**
     * Returns this store's event log (outbox, event stream, webhook deliveries), or {@code null} when it keeps none;
     * both built-in stores keep one.
     */
    default dev.latchkey.core.events.@Nullable EventLog events() {
        return null;
    }

    /**
     * Creates a key as {@link #create(ApiKey)} does and, in the same atomic step, writes {@code event} to the
     * outbox. The default writes the event after the change (a crash in between loses it): stores that keep events
     * override it.
     */
    default void create(ApiKey key, dev.latchkey.core.events.@Nullable OutboxEvent event) {
        create(key);
        appendAfter(event);
    }

    /** Replaces a key as {@link #replace(ApiKey, long)} does and writes {@code event} with it (see create). */
    default boolean replace(ApiKey updated, long expectedVersion,
            dev.latchkey.core.events.@Nullable OutboxEvent event) {
        boolean done = replace(updated, expectedVersion);
        if (done) {
            appendAfter(event);
        }
        return done;
    }

    /** Deletes a key as {@link #delete(String)} does and writes {@code event} with it (see create). */
    default boolean delete(String id, dev.latchkey.core.events.@Nullable OutboxEvent event) {
        boolean done = delete(id);
        if (done) {
            appendAfter(event);
        }
        return done;
    }

    private void appendAfter(dev.latchkey.core.events.@Nullable OutboxEvent event) {
        dev.latchkey.core.events.EventLog log = events();
        if (event != null && log != null) {
            log.raiseOnce(event);
        }
    }

    // ------------------------------------------------------------------ tenant configs (API.md §10)

    /**
     * Returns whether this store keeps webhook and storage configs (API.md §10). {@link #webhookConfigs()} and
     * {@link #storageConfigs()} throw {@link UnsupportedOperationException} when it does not; both built-in stores
     * do.
     */
    default boolean supportsConfigs() {
        return false;
    }

    /**
     * Returns the store of webhook configs.
     *
     * @throws UnsupportedOperationException when {@link #supportsConfigs()} is false
     */
    default TenantConfigs<WebhookConfig> webhookConfigs() {
        throw new UnsupportedOperationException(kind() + " stores do not keep webhook configs");
    }

    /**
     * Returns the store of storage configs.
     *
     * @throws UnsupportedOperationException when {@link #supportsConfigs()} is false
     */
    default TenantConfigs<StorageConfig> storageConfigs() {
        throw new UnsupportedOperationException(kind() + " stores do not keep storage configs");
    }

    // ------------------------------------------------------------------ usage history (API.md §10)

    /**
     * Returns whether this store keeps usage history: the per-minute counts of {@link UsageBatch#minutes()}, applied
     * with the batch's deltas under the same idempotency, and {@link #usageHistory}. Without it, batches' minutes are
     * dropped.
     */
    default boolean supportsHistory() {
        return false;
    }

    /**
     * Returns a key's non-empty history buckets with {@code from} ≤ start &lt; {@code to} (both aligned to the
     * granularity), oldest first; minutes, hours and days are counted as they happen, so each level is exact. Buckets
     * older than the key's retention may be missing.
     *
     * @throws StoreUnavailableException     when the store cannot be reached
     * @throws UnsupportedOperationException when {@link #supportsHistory()} is false
     */
    default List<UsageBucket> usageHistory(String keyId, Instant from, Instant to, HistoryGranularity granularity) {
        throw new UnsupportedOperationException(kind() + " stores do not keep usage history");
    }

    /** The setting that holds the issuer's {@link SecretHasher#checkValue()}. */
    String HASHER_CHECK = "hasher-check";
    /** The setting that holds the issuer's token prefix. */
    String TOKEN_PREFIX = "token-prefix";

    /** Releases connections and threads. */
    @Override
    void close();
}
