package dev.latchkey.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.admin.ConfigManager;
import dev.latchkey.core.HistoryShipment;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.history.postgres.PostgresHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the history of keys whose effective storage config is {@code postgresql} from the key store's shipping queue
 * into that config's database (API.md §10), once a second and at close: take a shipment, add it by its id (so a
 * shipment retried after a crash between writing and acknowledging adds nothing), acknowledge. A key that no longer
 * uses a {@code postgresql} config has its queued counts dropped (they are in the store's own history anyway). A
 * failing database leaves the shipment in flight, retried with the same id. Also trims each database to its
 * retention every 10 minutes. Several admin nodes may ship at once.
 */
final class HistoryShipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryShipper.class);
    private static final int PER_ROUND = 1_000;
    private static final Duration TRIM_EVERY = Duration.ofMinutes(10);

    private final KeyStore store;
    private final ConfigManager configs;
    private final PostgresHistory postgres;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Instant> trimmed = new ConcurrentHashMap<>();

    HistoryShipper(KeyStore store, ConfigManager configs, PostgresHistory postgres, Clock clock, Duration interval) {
        this.store = store;
        this.configs = configs;
        this.postgres = postgres;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latchkey-history-shipper");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::shipQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Ships what is queued now; returns how many shipments were handled. */
    int ship() {
        int n = 0;
        while (n < PER_ROUND) {
            Optional<HistoryShipment> next = store.takeHistoryShipment();
            if (next.isEmpty()) {
                return n;
            }
            HistoryShipment s = next.get();
            Optional<ApiKey> key = store.find(s.keyId());
            Optional<StorageConfig> config = key.flatMap(configs::effectiveStorage);
            if (key.isPresent() && config.isPresent() && config.get().kind() == StorageKind.POSTGRESQL) {
                postgres.add(config.get(), key.get().tenantId(), s.keyId(), s.id(), s.minutes());
                trim(config.get());
            }
            store.historyShipped(s);
            n++;
        }
        return n;
    }

    private void trim(StorageConfig config) {
        Instant now = clock.instant();
        Instant last = trimmed.get(config.id());
        if (last == null || last.plus(TRIM_EVERY).isBefore(now)) {
            trimmed.put(config.id(), now);
            postgres.trim(config, now);
        }
    }

    private void shipQuietly() {
        try {
            ship();
        } catch (RuntimeException e) {
            LOG.warn("Shipping usage history failed; will retry: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        shipQuietly();
    }
}
