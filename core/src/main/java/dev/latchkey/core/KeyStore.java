package dev.latchkey.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The managed store: the {@link KeySource} a door reads, plus what the admin service writes (create, the
 * compare-and-set {@link #replace}, delete), lists and runs (jobs), and the admin's quota credits and tenant-defaults
 * writes. Every backend the admin service runs on implements it (the embedded {@link InMemoryKeyStore}, the Redis
 * store). It stores hashes, never plaintext. Every rule (status transitions, rotation and grace windows, reset,
 * validation, tenants) lives in {@link dev.latchkey.core.admin.KeyManager} on top of {@code replace}, so every store
 * applies exactly the same rules and a new backend cannot get them subtly wrong.
 *
 * <p><b>Contract</b> (checked by the testkit's store contract), beyond {@link KeySource}'s:
 * <ul>
 *   <li>every mutating call is atomic for one key;</li>
 *   <li>usage is kept apart from the record: {@link #replace} never changes usage;</li>
 *   <li>every successful mutation is announced to subscribers, on this node and, for shared stores, on every other
 *       node.</li>
 * </ul>
 *
 * <p>New admin-side capabilities (an event outbox written with each key change, webhook and storage configs) belong
 * here, not on {@link KeySource}; see {@code docs/DECISIONS.md} (#17).
 */
public interface KeyStore extends KeySource {

    /**
     * Stores a new key and, for an imported current credential, indexes its hash.
     *
     * @throws DuplicateKeyException     when the id or the imported hash is taken
     * @throws StoreUnavailableException when the store cannot be reached
     */
    void create(ApiKey key);

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

    /**
     * Sets a store-wide setting unless it is set already, and returns the value that holds afterwards. The admin
     * service records {@value #HASHER_CHECK} and {@value #TOKEN_PREFIX} this way, so that a filter started with
     * another pepper or prefix can say so at start-up instead of rejecting every token in silence.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    String initSetting(String name, String value);

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

    /**
     * Takes the next key's history counts queued for shipping (keys whose effective storage config is
     * {@code postgresql}), or empty when none is queued. A shipment not yet acknowledged is offered again, with the same
     * id, before anything newer of that key.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    default Optional<HistoryShipment> takeHistoryShipment() {
        return Optional.empty();
    }

    /** Acknowledges a shipment from {@link #takeHistoryShipment()}: it is written and is not offered again. */
    default void historyShipped(HistoryShipment shipment) {
    }
}
