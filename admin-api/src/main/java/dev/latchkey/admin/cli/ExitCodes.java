package dev.latchkey.admin.cli;

/**
 * The exit codes of the {@code latchkey} command line, stable for scripts: what an HTTP status of the admin API
 * means to a caller, in six buckets.
 */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** A usage error: unknown option, missing argument, or a request the service refused as invalid (400, 405, 406, 413, 415). */
    public static final int USAGE = 1;
    /** The key or job does not exist (404). */
    public static final int NOT_FOUND = 2;
    /** The admin token is missing, wrong (401) or not allowed to do this (403). */
    public static final int DENIED = 3;
    /** The key's state forbids it (409) or it changed since the version given (412). */
    public static final int CONFLICT = 4;
    /** Too many requests (429): try again later. */
    public static final int RATE_LIMITED = 5;
    /** The service cannot be reached, or answered with a server error (5xx) or something unexpected. */
    public static final int UNAVAILABLE = 6;

    private ExitCodes() {
    }

    /** Returns the exit code for an HTTP status the service answered. */
    public static int forStatus(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 401, 403 -> DENIED;
            case 409, 412 -> CONFLICT;
            case 429 -> RATE_LIMITED;
            case 400, 405, 406, 413, 415 -> USAGE;
            default -> UNAVAILABLE;
        };
    }
}
