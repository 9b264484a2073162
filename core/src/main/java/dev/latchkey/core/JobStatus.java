package dev.latchkey.core;

/** The state of an asynchronous job. */
public enum JobStatus {
    RUNNING("running"),
    SUCCESS("success"),
    FAILED("failed");

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    /** Returns the lowercase name used on the wire. */
    public String wire() {
        return wire;
    }
}
