package dev.latchkey.redis;

import dev.latchkey.core.LatchkeyException;
import dev.latchkey.core.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns Lettuce's failures into Latchkey's: anything that means "Redis cannot answer now" (not connected, timed out,
 * loading, cluster down, busy script, out of memory, writes stopped after a failed save, credentials or permissions
 * refused) becomes a {@link StoreUnavailableException}, so callers fail closed with 503 and serve what they cached;
 * an error that can only be a bug (a wrong type, a script error) becomes an {@link IllegalStateException}.
 * Messages carry Lettuce's text, which names hosts and timeouts but never a value we sent.
 */
final class Failures {

    /**
     * Error replies that say the server is there but cannot serve us now: a state of the server or of its
     * configuration (maxmemory reached, persistence failing, a changed password or ACL), never a bug of ours.
     */
    private static final List<String> TRANSIENT = List.of("LOADING", "CLUSTERDOWN", "MASTERDOWN", "TRYAGAIN",
            "BUSY", "NOREPLICAS", "READONLY", "MOVED", "ASK", "OOM", "MISCONF", "NOAUTH", "WRONGPASS", "NOPERM");

    private static final long AWAIT_SLACK_MILLIS = 200;

    private Failures() {
    }

    /**
     * Waits for a command with a bound a little past Lettuce's own timeout, which should fire first: Lettuce expires
     * commands on a timer with a 100 ms tick, so 200 ms past it. The bound holds even for a command Lettuce never
     * expires (one caught in a reconnect) or puts on no timer at all (a listing's record reads, see
     * {@link ClientTuning#awaitedByCaller}), so a caller answers within the command timeout plus 200 ms (#21).
     */
    static <T> T await(CompletionStage<T> stage, Duration commandTimeout) {
        try {
            return stage.toCompletableFuture().get(commandTimeout.toMillis() + AWAIT_SLACK_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("Redis command timed out: no answer within " + commandTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    /** Waits for every command, then throws the first failure, if any: no command is left unwaited. */
    static void awaitAll(List<? extends CompletionStage<?>> stages, Duration commandTimeout) {
        RuntimeException first = null;
        for (CompletionStage<?> s : stages) {
            try {
                await(s, commandTimeout);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Waits for a command at most {@code bound} (a caller's own, shorter deadline than Lettuce's timeout). */
    static <T> T awaitWithin(CompletionStage<T> stage, Duration bound) {
        try {
            return stage.toCompletableFuture().get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("Redis did not answer within " + bound.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    static RuntimeException translate(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LatchkeyException le) {
            return le;
        }
        if (t instanceof RedisCommandExecutionException ce) {
            String msg = String.valueOf(ce.getMessage());
            for (String prefix : TRANSIENT) {
                if (msg.startsWith(prefix)) {
                    return new StoreUnavailableException("Redis cannot serve now: " + firstWord(msg), ce);
                }
            }
            return new IllegalStateException("Redis rejected a command: " + msg, ce);
        }
        if (t instanceof RedisException re) {
            return new StoreUnavailableException("Redis is unavailable: " + re.getMessage(), re);
        }
        if (t instanceof java.io.IOException io) {
            // A connection dropped under a command (reset by the server or the network): Lettuce reconnects.
            return new StoreUnavailableException("the connection to Redis failed: " + io.getMessage(), io);
        }
        if (t instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(t);
    }

    private static String firstWord(String msg) {
        int space = msg.indexOf(' ');
        return space < 0 ? msg : msg.substring(0, space);
    }
}
