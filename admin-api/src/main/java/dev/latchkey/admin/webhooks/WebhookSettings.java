package dev.latchkey.admin.webhooks;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WebhookSender} runs. {@link #defaults()} is production; tests shorten the intervals and the retry
 * schedule so they need not wait minutes.
 *
 * @param allowPrivate       whether receivers on private addresses are allowed ({@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE})
 * @param timeout            the most one attempt takes (10 s)
 * @param concurrency        the most attempts in flight on this node, each on its own thread (16)
 * @param pollInterval       how often the stream and due attempts are polled when idle (100 ms)
 * @param relayInterval      how often outboxes are scanned for entries a crash left behind (30 s; also at start)
 * @param relayMinAge        how old an outbox entry must be before the scan relays it (10 s: younger ones are
 *                           being relayed by the node that wrote them)
 * @param claimIdle          how long a streamed event may sit unacknowledged with a dead reader before another
 *                           node takes it (30 s)
 * @param lease              how long an attempt holds its delivery (timeout + 20 s); a node that dies mid-attempt
 *                           lets it run out and another node tries
 * @param expiryScanInterval how often expired keys are looked for (15 s, so {@code key.expired} comes within 60 s)
 * @param schedule           when failed deliveries are retried
 * @param lookup             how receiver names are resolved
 */
public record WebhookSettings(boolean allowPrivate, Duration timeout, int concurrency, Duration pollInterval,
        Duration relayInterval, Duration relayMinAge, Duration claimIdle, Duration lease, Duration expiryScanInterval,
        RetrySchedule schedule, WebhookClient.HostLookup lookup) {

    public WebhookSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(relayInterval, "relayInterval");
        Objects.requireNonNull(relayMinAge, "relayMinAge");
        Objects.requireNonNull(claimIdle, "claimIdle");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(expiryScanInterval, "expiryScanInterval");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(lookup, "lookup");
        if (concurrency < 1 || concurrency > 1_000) {
            throw new IllegalArgumentException("concurrency must be 1 to 1000");
        }
        if (lease.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("the lease must outlast an attempt's timeout");
        }
        for (Duration d : new Duration[] {pollInterval, relayInterval, expiryScanInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("intervals must be positive");
            }
        }
    }

    /** Returns the production settings, private receivers refused. */
    public static WebhookSettings defaults() {
        Duration timeout = WebhookClient.DEFAULT_TIMEOUT;
        return new WebhookSettings(false, timeout, 16, Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(30), timeout.plusSeconds(20), Duration.ofSeconds(15),
                RetrySchedule.standard(), java.net.InetAddress::getAllByName);
    }

    /** Returns these settings with private receivers allowed or refused. */
    public WebhookSettings withAllowPrivate(boolean allow) {
        return new WebhookSettings(allow, timeout, concurrency, pollInterval, relayInterval, relayMinAge, claimIdle,
                lease, expiryScanInterval, schedule, lookup);
    }

    /** Returns these settings with another retry schedule. */
    public WebhookSettings withSchedule(RetrySchedule s) {
        return new WebhookSettings(allowPrivate, timeout, concurrency, pollInterval, relayInterval, relayMinAge,
                claimIdle, lease, expiryScanInterval, s, lookup);
    }

    /** Returns these settings with another host lookup. */
    public WebhookSettings withLookup(WebhookClient.HostLookup l) {
        return new WebhookSettings(allowPrivate, timeout, concurrency, pollInterval, relayInterval, relayMinAge,
                claimIdle, lease, expiryScanInterval, schedule, l);
    }

    /** Returns these settings with other scan intervals (relay, expiry) and claim idle time. */
    public WebhookSettings withScans(Duration relay, Duration minAge, Duration idle, Duration expiry) {
        return new WebhookSettings(allowPrivate, timeout, concurrency, pollInterval, relay, minAge, idle, lease,
                expiry, schedule, lookup);
    }
}
