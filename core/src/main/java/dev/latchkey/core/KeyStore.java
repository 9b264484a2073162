package dev.latchkey.core;

import java.util.Optional;

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
    @org.jspecify.annotations.Nullable String setting(String name);

    /**
     * Sets a store-wide setting unless it is set already, and returns the value that holds afterwards. The admin
     * service records {@value #HASHER_CHECK} and {@value #TOKEN_PREFIX} this way, so that a filter started with
     * another pepper or prefix can say so at start-up instead of rejecting every token in silence.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    String initSetting(String name, String value);

    /** The setting that holds the issuer's {@link SecretHasher#checkValue()}. */
    String HASHER_CHECK = "hasher-check";
    /** The setting that holds the issuer's token prefix. */
    String TOKEN_PREFIX = "token-prefix";

    /** Releases connections and threads. */
    @Override
    void close();
}
