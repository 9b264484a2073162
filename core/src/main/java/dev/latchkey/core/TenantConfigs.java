package dev.latchkey.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The store SPI for one kind of {@link TenantConfig}: create, read, list newest first, compare-and-set replace and
 * delete. {@link KeyStore#webhookConfigs()} and {@link KeyStore#storageConfigs()} return one each. Every rule (who may
 * do what, validation, "in use" checks) lives above it, in {@link ConfigManager}.
 *
 * <p>Thread-safe; each call is atomic for one config. A store that cannot be reached throws
 * {@link StoreUnavailableException}.
 *
 * @param <T> the config type
 */
public interface TenantConfigs<T extends TenantConfig> {

    /**
     * Stores a new config (version 1).
     *
     * @throws DuplicateKeyException when the id is taken
     */
    void create(T config);

    /** Returns the config with this id. */
    Optional<T> find(String id);

    /**
     * Returns a page of configs, newest first, with the exact total.
     *
     * @param tenantId only this tenant's, or every tenant's when {@code null}
     * @param offset   how many to skip (≥ 0)
     * @param limit    the page size (≥ 1)
     */
    Page<T> list(@Nullable String tenantId, int offset, int limit);

    /**
     * Replaces a config if its stored version is still {@code expectedVersion}; {@code updated.version()} must be
     * {@code expectedVersion + 1}, and its id and tenant must not change.
     *
     * @return whether it was written
     */
    boolean replace(T updated, long expectedVersion);

    /**
     * Deletes a config.
     *
     * @return whether one was deleted
     */
    boolean delete(String id);
}
