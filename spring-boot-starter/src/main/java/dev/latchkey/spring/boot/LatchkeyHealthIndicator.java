package dev.latchkey.spring.boot;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.StoreUnavailableException;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The key store's health under {@code /actuator/health} (component {@code latchkey}): {@code UP} when the store answers
 * a ping, {@code DOWN} when it cannot be reached. Details name the store's kind ({@code redis}, {@code memory}), never
 * its URL or password.
 *
 * @since 0.1
 */
public class LatchkeyHealthIndicator extends AbstractHealthIndicator {

    private final KeyStore store;

    /** Creates the indicator for a store. */
    public LatchkeyHealthIndicator(KeyStore store) {
        super("Latchkey key store health check failed");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", store.kind());
        try {
            store.ping();
            builder.up();
        } catch (StoreUnavailableException e) {
            builder.down().withDetail("error", "the key store cannot be reached");
        }
    }
}
