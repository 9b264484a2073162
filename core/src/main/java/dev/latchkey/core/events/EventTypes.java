package dev.latchkey.core.events;

/** The names of the key events KeyManager and the scans raise (the wire list of names lives with webhook configs). */
public final class EventTypes {

    public static final String CREATED = "key.created";
    public static final String UPDATED = "key.updated";
    public static final String STATUS_CHANGED = "key.status_changed";
    public static final String ROTATED = "key.rotated";
    public static final String RESET = "key.reset";
    public static final String DELETED = "key.deleted";
    public static final String EXPIRED = "key.expired";
    public static final String QUOTA_EXHAUSTED = "key.quota_exhausted";

    private EventTypes() {
    }
}
