package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A Caffeine {@link Ticker} that tests move by hand (shared with the filter's tests through the test-jar). */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves the time forward. */
    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
