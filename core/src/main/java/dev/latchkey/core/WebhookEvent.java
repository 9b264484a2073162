package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/**
 * The event names a webhook config may subscribe to (API.md §10), plus {@link #ALL} ({@code "*"}), which matches every
 * event. The one list both the config rules and the event senders use.
 */
public enum WebhookEvent {
    /** A key was created ({@code POST /v1/keys}). */
    KEY_CREATED("key.created"),
    /** A key was changed by {@code PATCH}. */
    KEY_UPDATED("key.updated"),
    /** A key's status was set ({@code PUT …/status}). */
    KEY_STATUS_CHANGED("key.status_changed"),
    /** A key was rotated. */
    KEY_ROTATED("key.rotated"),
    /** A key was reset. */
    KEY_RESET("key.reset"),
    /** A key was deleted. */
    KEY_DELETED("key.deleted"),
    /** A key passed its {@code expires_at}. */
    KEY_EXPIRED("key.expired"),
    /** A key's quota balance reached 0. */
    KEY_QUOTA_EXHAUSTED("key.quota_exhausted"),
    /** Every event: {@code "*"} in a config's {@code events}. */
    ALL("*");

    private final String wire;

    WebhookEvent(String wire) {
        this.wire = wire;
    }

    /** Returns the name on the wire, such as {@code key.created} or {@code *}. */
    public String wire() {
        return wire;
    }

    /** Returns the event with this wire name, or {@code null} when there is none. */
    public static @Nullable WebhookEvent fromWire(@Nullable String name) {
        if (name == null) {
            return null;
        }
        for (WebhookEvent e : values()) {
            if (e.wire.equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Returns the wire names of every event and {@code *}, for error messages and documents. */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (WebhookEvent e : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.wire);
        }
        return b.toString();
    }
}
