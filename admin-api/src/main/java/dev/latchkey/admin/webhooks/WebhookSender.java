package dev.latchkey.admin.webhooks;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.WebhookEvent;
import dev.latchkey.core.events.Attempt;
import dev.latchkey.core.events.Delivery;
import dev.latchkey.core.events.DeliveryStatus;
import dev.latchkey.core.events.EventIds;
import dev.latchkey.core.events.EventLog;
import dev.latchkey.core.events.EventRenderer;
import dev.latchkey.core.events.OutboxEvent;
import dev.latchkey.core.events.StreamedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends key events to webhooks (API.md §10) from one admin node; several nodes on one store share the work.
 *
 * <p>One scheduler thread polls: it reads the event stream as one consumer of the store's group (so each event is
 * handled by one node, and one that died holding it is taken over), creates one delivery per event for the key's
 * effective webhook config (the key's override, else the tenant's default) when that config is enabled and lists
 * the event, acknowledges, and then leases due deliveries for as many attempts as it has free threads. Attempts run
 * on a bounded pool of their own, so a slow or dead receiver holds one of those threads for at most the timeout and
 * never a thread of the admin API. It also relays outbox entries a crash left behind and raises
 * {@code key.expired} for keys found past their expiry.
 *
 * <p>Meters: {@code latchkey.webhook.deliveries} ({@code result} = delivered, retry, failed),
 * {@code latchkey.webhook.delivery.duration}, {@code latchkey.webhook.outbox.pending}. No token ever reaches an
 * event, a log line or a delivery record: bodies are rendered from key answers, which carry none.
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final int READ_BATCH = 64;

    private final KeyStore store;
    private final EventLog log;
    private final EventRenderer renderer;
    private final Clock clock;
    private final Clock wall = Clock.systemUTC();
    private final WebhookSettings settings;
    private final String consumer;
    private final WebhookClient client;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor attempts;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong backlog = new AtomicLong();
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final Timer duration;
    private volatile long lastRelay;
    private volatile long lastExpiryScan;
    private volatile boolean closed;

    /**
     * Creates a sender (not yet started).
     *
     * @param store    the key store, which must keep events ({@link KeyStore#events()})
     * @param renderer renders bodies of events raised without one
     * @param clock    the time keys live by (the expiry scan); attempts, their {@code webhook-timestamp} and the
     *                 retry schedule always run on the system clock, which receivers check timestamps against
     * @param registry where the meters go
     * @param settings how it runs
     * @param consumer this node's name in the consumer group (unique per node)
     * @throws IllegalArgumentException when the store keeps no events or no configs
     */
    public WebhookSender(KeyStore store, EventRenderer renderer, Clock clock,
            MeterRegistry registry, WebhookSettings settings, String consumer) {
        this.store = Objects.requireNonNull(store, "store");
        EventLog events = store.events();
        if (events == null || !store.supportsConfigs() || !store.supportsLimits()) {
            throw new IllegalArgumentException("the " + store.kind() + " store keeps no events or configs");
        }
        this.log = events;
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.client = new WebhookClient(settings.allowPrivate(), settings.timeout(), settings.concurrency(),
                settings.lookup());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "latchkey-webhooks"));
        AtomicInteger n = new AtomicInteger();
        this.attempts = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.concurrency()),
                r -> daemon(r, "latchkey-webhook-" + n.incrementAndGet()));
        this.attempts.allowCoreThreadTimeOut(true);
        String name = "latchkey.webhook.deliveries";
        this.delivered = Counter.builder(name).tag("result", "delivered")
                .description("Webhook delivery attempts by result").register(registry);
        this.retried = Counter.builder(name).tag("result", "retry")
                .description("Webhook delivery attempts by result").register(registry);
        this.failed = Counter.builder(name).tag("result", "failed")
                .description("Webhook delivery attempts by result").register(registry);
        this.duration = Timer.builder("latchkey.webhook.delivery.duration")
                .description("How long webhook delivery attempts take").register(registry);
        Gauge.builder("latchkey.webhook.outbox.pending", backlog, AtomicLong::get)
                .description("Key events not yet turned into webhook deliveries").register(registry);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts polling; the first pass relays what earlier runs left in the outboxes. */
    public WebhookSender start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: relay and expiry scans when due, then events into deliveries, then due attempts. */
    void tick() {
        if (closed) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (lastRelay == 0 || now - lastRelay >= settings.relayInterval().toNanos()) {
                // At start every leftover is relayed at once: a copy another node streams meanwhile creates nothing.
                int moved = log.relay(lastRelay == 0 ? Duration.ZERO : settings.relayMinAge());
                lastRelay = now;
                if (moved > 0) {
                    LOG.info("Relayed {} key events that an earlier crash left in their outboxes", moved);
                }
                backlog.set(log.pending());
            }
            if (lastExpiryScan == 0 || now - lastExpiryScan >= settings.expiryScanInterval().toNanos()) {
                lastExpiryScan = now;
                scanExpired();
            }
            consume();
            dispatch();
        } catch (RuntimeException e) {
            LOG.warn("Webhook pass failed; trying again in {} ms: {}", settings.pollInterval().toMillis(),
                    e.toString());
        }
    }

    private void consume() {
        for (int round = 0; round < 16; round++) {
            List<StreamedEvent> batch = log.read(consumer, READ_BATCH, settings.claimIdle(), Duration.ZERO);
            for (StreamedEvent e : batch) {
                route(e.event());
                log.ack(e);
            }
            if (batch.size() < READ_BATCH) {
                return;
            }
        }
    }

    /** Creates the event's delivery, if its key's effective config wants it. */
    private void route(OutboxEvent raw) {
        OutboxEvent event = raw;
        String route = event.route();
        String tenant = event.tenantId();
        if (event.body() == null) {
            Optional<ApiKey> key = store.find(event.keyId());
            if (key.isEmpty()) {
                return; // deleted before its event was sent: key.deleted tells the receiver
            }
            route = key.get().webhookConfig();
            tenant = key.get().tenantId();
            event = new OutboxEvent(event.id(), event.type(), event.keyId(), tenant, event.occurredAt(), route,
                    renderer.body(event.type(), key.get(), null, event.occurredAt()));
        }
        // A change's event carries the config that was effective when it committed; a raised one is resolved now.
        String configId = route != null || raw.body() != null ? route : store.tenantDefaults(tenant).webhookConfig();
        WebhookEvent type = WebhookEvent.fromWire(event.type());
        if (configId == null || type == null) {
            return;
        }
        Optional<WebhookConfig> target = store.webhookConfigs().find(configId);
        if (target.isEmpty() || !target.get().tenantId().equals(tenant) || !target.get().wants(type)) {
            return;
        }
        Delivery d = Delivery.pending(Delivery.idFor(event, configId), configId, tenant, event,
                Objects.requireNonNull(event.body()), wall.instant());
        log.createDelivery(d);
    }

    private void dispatch() {
        int free = settings.concurrency() - inFlight.get();
        if (free <= 0) {
            return;
        }
        for (Delivery d : log.claimDue(wall.instant(), settings.lease(), free)) {
            inFlight.incrementAndGet();
            try {
                attempts.execute(() -> {
                    try {
                        attempt(d);
                    } catch (RuntimeException e) {
                        LOG.warn("A webhook attempt could not be recorded; its lease will run out and it will be"
                                + " tried again: {}", e.toString());
                    } finally {
                        inFlight.decrementAndGet();
                        wake();
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet(); // the lease runs out and it is tried again
            }
        }
    }

    /** Lets the scheduler thread fill a freed attempt slot now rather than at the next poll. */
    private void wake() {
        if (!closed) {
            try {
                scheduler.execute(() -> {
                    try {
                        dispatch();
                    } catch (RuntimeException e) {
                        LOG.debug("Dispatch after an attempt failed: {}", e.toString());
                    }
                });
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Makes one attempt and records it. */
    void attempt(Delivery d) {
        Instant start = wall.instant();
        long began = System.nanoTime();
        Optional<WebhookConfig> target = store.webhookConfigs().find(d.configId());
        WebhookClient.Outcome outcome;
        if (target.isEmpty()) {
            outcome = new WebhookClient.Outcome(null, "config_deleted");
        } else if (!target.get().enabled()) {
            outcome = new WebhookClient.Outcome(null, "config_disabled");
        } else {
            long ts = start.getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", d.eventId());
            headers.put("webhook-timestamp", Long.toString(ts));
            headers.put("webhook-signature", WebhookSigner.signature(d.eventId(), ts, d.body(),
                    target.get().signingSecrets(start)));
            outcome = client.post(URI.create(target.get().url()), headers, d.body());
        }
        long tookNanos = System.nanoTime() - began;
        duration.record(tookNanos, TimeUnit.NANOSECONDS);
        Attempt a = new Attempt(start, outcome.status(), outcome.error(), TimeUnit.NANOSECONDS.toMillis(tookNanos));
        Delivery next;
        if (a.delivered()) {
            next = d.after(a, DeliveryStatus.DELIVERED, null);
            delivered.increment();
        } else {
            Instant now = wall.instant();
            Instant again = target.isEmpty() ? null : settings.schedule().next(d.attempts() + 1, d.createdAt(), now);
            next = again == null ? d.after(a, DeliveryStatus.FAILED, null) : d.after(a, DeliveryStatus.PENDING, again);
            (again == null ? failed : retried).increment();
        }
        log.saveDelivery(next);
    }

    private void scanExpired() {
        Instant now = clock.instant();
        for (String id : log.expiredKeys(now, 500)) {
            Optional<ApiKey> key = store.find(id);
            if (key.isEmpty()) {
                continue;
            }
            Instant at = key.get().expiresAt();
            if (at != null && !at.isAfter(now)) {
                log.raiseOnce(EventIds.expired(key.get()));
                log.expiryHandled(id, at);
            }
        }
    }

    /** Returns the consumer name of this node. */
    public String consumer() {
        return consumer;
    }

    /** Stops polling and waits briefly for attempts in flight; their leases cover any that do not finish. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        attempts.shutdown();
        try {
            if (!attempts.awaitTermination(2, TimeUnit.SECONDS)) {
                client.close(); // aborts what is still waiting on a receiver; the leases cover it
                attempts.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.shutdownNow();
        }
        client.close();
    }

}
