package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.SecretHash;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The imported-token index ({@code imp:{<hash>}} → key id) and the claim protocol that keeps it right on Cluster,
 * where it cannot share the record's script. An imported hash is <i>claimed</i> before the record that carries it is
 * written, so a stored imported token is always findable; a fresh claim is <i>pending</i> (it has a time to live)
 * until {@link #settle} after the record write; it is <i>released</i> after the record stops carrying the hash.
 * A pending claim is never taken over, because its record may be on its way, and a settled one only when its
 * holder's record no longer carries the hash (a settled holder never takes a hash back, so that judgement cannot go
 * stale). So two creates of one imported token never both succeed, and a claim whose writer died frees itself.
 * Readers always check the record, so a leftover entry never authenticates anything.
 */
final class ImportedClaims {

    private static final Script CLAIM = Script.load("imported-claim");
    private static final Script RELEASE = Script.load("imported-release");
    private static final Script SETTLE = Script.load("imported-settle");
    private static final Duration MIN_PENDING_CLAIM = Duration.ofSeconds(30);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Layout layout;
    private final Duration commandTimeout;

    ImportedClaims(RedisClusterAsyncCommands<String, String> redis, Layout layout, Duration commandTimeout) {
        this.redis = redis;
        this.layout = layout;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Claims every imported hash a record carries, before the record is written.
     *
     * @return the hashes (hex) this call claimed anew, for {@link #releasePending} if the write does not happen
     * @throws DuplicateKeyException when another key holds one of them; the claims made so far are released
     */
    List<String> claimAll(ApiKey record) {
        List<String> fresh = new ArrayList<>(2);
        try {
            for (var c : record.importedCredentials()) {
                if (claim(c.hash(), record.id())) {
                    fresh.add(c.hash().hex());
                }
            }
            return fresh;
        } catch (DuplicateKeyException e) {
            releasePending(fresh, record.id());
            throw e;
        }
    }

    /**
     * Points an imported hash's entry at a key before the key's record carries it.
     *
     * @return true when this call made the claim, false when the entry was the key's already
     * @throws DuplicateKeyException when another key holds the hash, or is claiming it right now
     */
    private boolean claim(SecretHash hash, String id) {
        String key = layout.imported(hash);
        String pendingMillis = Long.toString(pendingClaimTtl().toMillis());
        String stale = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Object> answer = await(CLAIM.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {key}, id, stale, pendingMillis));
            String holder = String.valueOf(answer.get(0));
            if (holder.isEmpty()) {
                return ((Number) answer.get(1)).longValue() == 1;
            }
            if (((Number) answer.get(1)).longValue() == 1) {
                throw new DuplicateKeyException("that imported token is being claimed concurrently");
            }
            Map<String, String> fields = await(redis.hgetall(layout.record(holder)));
            if (fields != null && !fields.isEmpty() && RecordCodec.decode(holder, fields).carriesImported(hash)) {
                throw new DuplicateKeyException("that imported token is already in use");
            }
            stale = holder;
        }
        throw new DuplicateKeyException("that imported token is being claimed concurrently");
    }

    /** Makes a claim permanent once the record carries the hash; returns false when another key holds it. */
    boolean settle(SecretHash hash, String id) {
        Long ours = await(SETTLE.run(redis, ScriptOutputType.INTEGER, new String[] {layout.imported(hash)}, id));
        return ours != null && ours == 1;
    }

    /** Frees an entry if {@code id} still holds it, and waits. */
    void release(String hex, String id) {
        await(releaseLater(hex, id));
    }

    /** Frees an entry if {@code id} still holds it, without waiting. */
    CompletableFuture<Long> releaseLater(String hex, String id) {
        return RELEASE.run(redis, ScriptOutputType.INTEGER, new String[] {layout.imported(hex)}, id, "");
    }

    /**
     * Frees the claims a change made that did not happen, and waits. Only entries still pending are freed: one that
     * is settled was settled by another change of the same key, whose record carries the hash.
     */
    void releasePending(List<String> hexes, String id) {
        List<CompletableFuture<Long>> pending = new ArrayList<>(hexes.size());
        for (String hex : hexes) {
            pending.add(RELEASE.run(redis, ScriptOutputType.INTEGER, new String[] {layout.imported(hex)}, id, "1"));
        }
        Failures.awaitAll(pending, commandTimeout);
    }

    /** Frees, without waiting, the entries of those {@code hexes} that {@code record} no longer carries. */
    void releaseDropped(ApiKey record, List<CompletableFuture<Long>> pending, List<String> hexes) {
        for (String hex : hexes) {
            if (!record.carriesImported(SecretHash.fromHex(hex))) {
                pending.add(releaseLater(hex, record.id()));
            }
        }
    }

    /** Reads the imported hashes out of a script answer: hash, imported flag, hash, imported flag. */
    static List<String> hexes(List<Object> result, int from) {
        List<String> out = new ArrayList<>(2);
        for (int i = from; i + 1 < result.size(); i += 2) {
            String hex = String.valueOf(result.get(i));
            if (!hex.isEmpty() && "true".equals(result.get(i + 1))) {
                out.add(hex);
            }
        }
        return out;
    }

    /** How long a claim may stay pending: far longer than the few commands between claim and settle may take. */
    private Duration pendingClaimTtl() {
        Duration tenTimeouts = commandTimeout.multipliedBy(10);
        return tenTimeouts.compareTo(MIN_PENDING_CLAIM) > 0 ? tenTimeouts : MIN_PENDING_CLAIM;
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        return Failures.await(stage, commandTimeout);
    }
}
