package dev.latchkey.redis;

import dev.latchkey.core.events.OutboxEvent;
import org.jspecify.annotations.Nullable;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Usage;
import dev.latchkey.core.internal.Ids;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's writes of key records: create, compare-and-set replace and delete, each one Lua script on the key's
 * slot that also publishes the change event, followed by the indexes in other slots in a crash-safe order (imported
 * claims through {@link ImportedClaims} before the record, listing entries through {@link Listing} after it), and for
 * replace and delete the wait for other nodes' confirmations ({@link Confirmations}).
 */
final class RecordWrites {

    private static final Logger LOG = LoggerFactory.getLogger(RecordWrites.class);
    private static final Script CREATE = Script.load("create");
    private static final Script REPLACE = Script.load("replace");
    private static final Script DELETE = Script.load("delete");

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Layout layout;
    private final Listing listing;
    private final ImportedClaims claims;
    private final Events events;
    private final Confirmations confirmations;
    private final RedisEventLog eventLog;
    private final Duration commandTimeout;

    RecordWrites(RedisClusterAsyncCommands<String, String> redis, Layout layout, Listing listing, Events events,
            Confirmations confirmations, RedisEventLog eventLog, Duration commandTimeout) {
        this.eventLog = eventLog;
        this.redis = redis;
        this.layout = layout;
        this.listing = listing;
        this.claims = new ImportedClaims(redis, layout, commandTimeout);
        this.events = events;
        this.confirmations = confirmations;
        this.commandTimeout = commandTimeout;
    }

    void create(ApiKey key, @Nullable OutboxEvent event) {
        ApiKey record = key.withUsage(Usage.NONE);
        String id = record.id();
        List<String> fresh = claims.claimAll(record);
        List<String> args = new ArrayList<>();
        args.add(layout.channel());
        args.add(events.message(KeyEvent.Type.CREATED, id, record.version()));
        args.add(event == null ? "" : event.id());
        args.add(event == null ? "" : event.encode());
        RecordCodec.encode(record).forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        Long created = await(CREATE.run(redis, ScriptOutputType.INTEGER,
                new String[] {layout.record(id), layout.outbox(id)}, args.toArray(String[]::new)));
        if (created == 0) {
            claims.releasePending(fresh, id);
            throw new DuplicateKeyException("a key with id " + id + " exists");
        }
        for (Credential c : record.importedCredentials()) {
            if (!claims.settle(c.hash(), id)) {
                // Our pending claim outlived its time to live (a very slow create) and another key took it.
                undoCreate(record);
                throw new DuplicateKeyException("that imported token is already in use");
            }
        }
        eventLog.relaySoon(id, event);
        List<CompletableFuture<Long>> pending = new ArrayList<>(listing.put(redis, record));
        pending.add(eventLog.indexExpiry(record));
        awaitAll(pending);
        events.local(KeyEvent.of(KeyEvent.Type.CREATED, id, record.version()));
    }

    boolean replace(ApiKey updated, long expectedVersion, @Nullable OutboxEvent event) {
        if (updated.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("the new version must be the expected version + 1");
        }
        String id = updated.id();
        Confirmations.Pending change = confirmations.expect(Ids.next());
        try {
            List<String> fresh = claims.claimAll(updated);
            Map<String, String> fields = RecordCodec.encode(updated);
            List<String> args = new ArrayList<>();
            args.add(Long.toString(expectedVersion));
            args.add(layout.channel());
            args.add(events.message(KeyEvent.Type.UPDATED, id, updated.version(), change.changeId));
            args.add(event == null ? "" : event.id());
            args.add(event == null ? "" : event.encode());
            fields.forEach((f, v) -> {
                args.add(f);
                args.add(v);
            });
            List<Object> result = await(REPLACE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {layout.record(id), layout.outbox(id)}, args.toArray(String[]::new)));
            if (((Number) result.get(0)).longValue() != 1) {
                confirmations.cancel(change);
                claims.releasePending(fresh, id);
                return false;
            }
            String oldTenant = (String) result.get(1);
            eventLog.relaySoon(id, event);
            List<CompletableFuture<Long>> pending = new ArrayList<>(listing.put(redis, updated));
            pending.add(eventLog.indexExpiry(updated));
            claims.releaseDropped(updated, pending, ImportedClaims.hexes(result, 2));
            for (Credential c : updated.importedCredentials()) {
                if (!claims.settle(c.hash(), id)) {
                    LOG.warn("Key {} carries an imported token whose index entry another key holds", id);
                }
            }
            if (!oldTenant.isEmpty() && !oldTenant.equals(updated.tenantId())) {
                pending.add(listing.remove(redis, layout.tenantIndex(oldTenant), id,
                        RecordCodec.micros(updated.createdAt()), updated.version()));
            }
            events.local(KeyEvent.of(KeyEvent.Type.UPDATED, id, updated.version()));
            confirmations.await(change, id);
            awaitAll(pending);
            unfileIfDeletedMeanwhile(updated);
            return true;
        } catch (StoreUnavailableException e) {
            // The change may have been applied: make this node's caches forget the key rather than trust them.
            confirmations.cancel(change);
            events.local(KeyEvent.of(KeyEvent.Type.UPDATED, id, 0));
            throw e;
        }
    }

    boolean delete(String id, @Nullable OutboxEvent event) {
        Confirmations.Pending change = confirmations.expect(Ids.next());
        try {
            List<Object> result = deleteRecord(id, change.changeId, event);
            if (result.isEmpty()) {
                confirmations.cancel(change);
                return false;
            }
            String tenant = (String) result.get(1);
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            for (String hex : ImportedClaims.hexes(result.subList(0, 6), 2)) {
                pending.add(claims.releaseLater(hex, id));
            }
            long created = RecordCodec.micros(Objects.requireNonNull(
                    RecordCodec.parseStoredTime((String) result.get(6)), "created"));
            pending.add(listing.remove(redis, layout.globalIndex(), id, created, null));
            pending.add(listing.remove(redis, layout.tenantIndex(tenant), id, created, null));
            pending.add(eventLog.unindexExpiry(id));
            eventLog.relaySoon(id, event);
            events.local(KeyEvent.of(KeyEvent.Type.DELETED, id, 0));
            confirmations.await(change, id);
            awaitAll(pending);
            return true;
        } catch (StoreUnavailableException e) {
            confirmations.cancel(change);
            events.local(KeyEvent.of(KeyEvent.Type.UPDATED, id, 0));
            throw e;
        }
    }

    /** Deletes a record and its usage markers and announces it; returns what delete.lua answers. */
    private List<Object> deleteRecord(String id, String changeId, @Nullable OutboxEvent event) {
        return await(DELETE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {layout.record(id), layout.usageMarkers(id), layout.rateWindow(id), layout.balance(id),
                        layout.outbox(id)},
                layout.channel(),
                events.message(KeyEvent.Type.DELETED, id, 0, changeId),
                event == null ? "" : event.id(), event == null ? "" : event.encode()));
    }

    /** Deletes a record this node just created and nobody was told about, and frees its imported claims. */
    private void undoCreate(ApiKey record) {
        String id = record.id();
        deleteRecord(id, Ids.next(), null); // nobody waits: no node cached a key it was never told about
        for (Credential c : record.importedCredentials()) {
            claims.release(c.hash().hex(), id);
        }
    }

    /**
     * Takes back what a replace filed after a delete that ran meanwhile had cleared it: listing entries, the expiry
     * index entry, and imported entries that the replace's settle wrote again after the delete released them.
     */
    private void unfileIfDeletedMeanwhile(ApiKey updated) {
        List<CompletableFuture<Long>> takeBack = new ArrayList<>(
                listing.unfileIfDeleted(redis, List.of(updated), commandTimeout));
        if (!takeBack.isEmpty()) {
            takeBack.add(eventLog.unindexExpiry(updated.id()));
            for (Credential c : updated.importedCredentials()) {
                takeBack.add(claims.releaseLater(c.hash().hex(), updated.id()));
            }
        }
        awaitAll(takeBack);
    }

    private <T> T await(CompletionStage<T> stage) {
        return Failures.await(stage, commandTimeout);
    }

    private void awaitAll(List<? extends CompletionStage<?>> stages) {
        Failures.awaitAll(stages, commandTimeout);
    }
}
