package dev.latchkey.core;

/**
 * Receives a store's change events. Called on a store thread: implementations must be quick and must not throw
 * (a thrown exception is logged and ignored).
 */
@FunctionalInterface
public interface KeyEventListener {

    /** Handles one event. */
    void onEvent(KeyEvent event);
}
