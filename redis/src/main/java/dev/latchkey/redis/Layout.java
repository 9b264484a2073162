package dev.latchkey.redis;

import dev.latchkey.core.SecretHash;

/**
 * The names of every Redis key the store writes, all under one prefix. Everything about one API key shares the
 * hash tag {@code {<key id>}}, so one Lua script can change it atomically on Redis Cluster too; the listing indexes
 * are tagged per scope ({@code {all}} and {@code {t:<tenant>}}) and each imported-token entry by its hash, so they
 * live in other slots and are written in a crash-safe order around the record (see {@link RedisKeyStore}).
 *
 * <pre>
 * &lt;p&gt;k:{&lt;id&gt;}            hash: the key record and its usage
 * &lt;p&gt;k:{&lt;id&gt;}:u          sorted set: usage batch ids applied recently (idempotency markers)
 * &lt;p&gt;imp:{&lt;hash hex&gt;}     string: key id of an imported token's hash
 * &lt;p&gt;idx:{all}:…          listing index over all keys
 * &lt;p&gt;idx:{t:&lt;tenant&gt;}:…   listing index over one tenant's keys
 * &lt;p&gt;job:{&lt;id&gt;}           hash: a job, with a time to live
 * &lt;p&gt;settings             hash: store-wide settings
 * &lt;p&gt;events               pub/sub channel of change events (pub/sub ignores SELECT, hence the prefix)
 * </pre>
 */
final class Layout {

    private final String prefix;

    Layout(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    String record(String id) {
        return prefix + "k:{" + id + "}";
    }

    String usageMarkers(String id) {
        return prefix + "k:{" + id + "}:u";
    }

    String imported(SecretHash hash) {
        return imported(hash.hex());
    }

    String imported(String hashHex) {
        return prefix + "imp:{" + hashHex + "}";
    }

    String globalIndex() {
        return prefix + "idx:{all}";
    }

    String tenantIndex(String tenant) {
        return prefix + "idx:{t:" + tenant + "}";
    }

    String job(String id) {
        return prefix + "job:{" + id + "}";
    }

    String settings() {
        return prefix + "settings";
    }

    String channel() {
        return prefix + "events";
    }

    /** The pub/sub channel on which nodes confirm that they dropped a changed key. */
    String ackChannel() {
        return prefix + "acks";
    }

    /** The sorted set of live nodes, scored by when their registration lapses (Unix milliseconds). */
    String nodes() {
        return prefix + "nodes";
    }
}
