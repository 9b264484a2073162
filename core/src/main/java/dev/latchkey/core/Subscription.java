package dev.latchkey.core;

/** A registration that can be cancelled; closing it twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Stops the deliveries. */
    @Override
    void close();
}
