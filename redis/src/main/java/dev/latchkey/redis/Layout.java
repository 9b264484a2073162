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
 * &lt;p&gt;k:{&lt;id&gt;}:w          hash: the current rate-limit window (start, period, count), expiring with it
 * &lt;p&gt;k:{&lt;id&gt;}:q          hash: the quota balance (remaining, period_start, seq)
 * &lt;p&gt;k:{&lt;id&gt;}:c:&lt;rid&gt;    string: a charge's first verdict by request id, with a short time to live
 * &lt;p&gt;k:{&lt;id&gt;}:o:&lt;oid&gt;    string: a credit change's first outcome by operation id, short-lived
 * &lt;p&gt;td:{t:&lt;tenant&gt;}      hash: a tenant's defaults (API.md §9)
 * &lt;p&gt;imp:{&lt;hash hex&gt;}     string: key id of an imported token's hash
 * &lt;p&gt;idx:{all}:…          listing index over all keys
 * &lt;p&gt;idx:{t:&lt;tenant&gt;}:…   listing index over one tenant's keys
 * &lt;p&gt;job:{&lt;id&gt;}           hash: a job, with a time to live
 * &lt;p&gt;wh:{&lt;id&gt;}, sc:{&lt;id&gt;}  hash: a webhook / storage config (API.md §10, {@link RedisTenantConfigs})
 * &lt;p&gt;whidx:{all}, whidx:{t:&lt;tenant&gt;}, scidx:…  sorted sets (score 0) of config ids, for listing
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

    String rateWindow(String id) {
        return prefix + "k:{" + id + "}:w";
    }

    String balance(String id) {
        return prefix + "k:{" + id + "}:q";
    }

    String chargeMarker(String id, String requestId) {
        return prefix + "k:{" + id + "}:c:" + requestId;
    }

    String creditMarker(String id, String operationId) {
        return prefix + "k:{" + id + "}:o:" + operationId;
    }

    String tenantDefaults(String tenant) {
        return prefix + "td:{t:" + tenant + "}";
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

    /** A key's event outbox: hash of event id → encoded event, in the key's slot (API.md §10). */
    String outbox(String id) {
        return prefix + "k:{" + id + "}:ob";
    }

    /** The SCAN pattern that finds every outbox. */
    String outboxPattern() {
        return prefix + "k:{*}:ob";
    }

    /** A key's set of ids of events raised outside key changes (expiry, quota), so each is raised once. */
    String raised(String id) {
        return prefix + "k:{" + id + "}:r";
    }

    /** The event stream the outboxes are relayed to. */
    String eventStream() {
        return prefix + "ev:{stream}";
    }

    /** The sorted set of keys by {@code expires_at} (Unix ms), for the expiry scan. */
    String expiryIndex() {
        return prefix + "exp:{all}";
    }

    /** A webhook delivery record. */
    String delivery(String id) {
        return prefix + "dlv:{" + id + "}";
    }

    /** One webhook config's deliveries by creation time (Unix ms). */
    String deliveryIndex(String configId) {
        return prefix + "dlv:c:{" + configId + "}";
    }

    /** Pending deliveries by when their next attempt is due, or their lease ends (Unix ms). */
    String dueDeliveries() {
        return prefix + "dlv:{due}";
    }

    /** The sorted set of live nodes, scored by when their registration lapses (Unix milliseconds). */
    String nodes() {
        return prefix + "nodes";
    }
}
