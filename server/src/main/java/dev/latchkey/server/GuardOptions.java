package dev.latchkey.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Settings of {@link HttpServerGuards}: immutable, made with {@link #builder()} or {@link #create()}. Every default
 * is a {@code DEFAULT_*} constant.
 *
 * <p>Why these bounds: a request body is read without holding a worker thread, but it must arrive within
 * {@link #bodyTimeout()}; workers are a fixed pool ({@link #workerThreads()}) with a bounded queue
 * ({@link #workerQueueLimit()}), so neither slow nor numerous clients can make the server grow without limit.
 */
public final class GuardOptions {

    /** The largest request head (request line and headers), in bytes: 64 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** The most header fields in one request: 100 (Grizzly's own default). */
    public static final int DEFAULT_MAX_REQUEST_HEADERS = 100;
    /** The largest request body, in bytes: 64 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** How long a request body may take to arrive once the head is in: 10 s. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** How long an idle keep-alive connection stays open: 30 s. */
    public static final Duration DEFAULT_KEEP_ALIVE_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The worker threads: 4 per core, at least 8. */
    public static final int DEFAULT_WORKER_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    /** The most tasks waiting for a worker: 1024. */
    public static final int DEFAULT_WORKER_QUEUE_LIMIT = 1024;

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Function<@Nullable String, String> DEFAULT_REQUEST_IDS =
            given -> given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();

    private final int maxHeaderBytes;
    private final int maxRequestHeaders;
    private final int maxBodyBytes;
    private final Duration bodyTimeout;
    private final Duration keepAliveIdleTimeout;
    private final int workerThreads;
    private final int workerQueueLimit;
    private final Function<@Nullable String, String> requestIds;
    private final BodyGate bodyGate;
    private final RefusalRule refusalRule;
    private final Clock clock;

    private GuardOptions(Builder b) {
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxRequestHeaders = b.maxRequestHeaders;
        this.maxBodyBytes = b.maxBodyBytes;
        this.bodyTimeout = b.bodyTimeout;
        this.keepAliveIdleTimeout = b.keepAliveIdleTimeout;
        this.workerThreads = b.workerThreads;
        this.workerQueueLimit = b.workerQueueLimit;
        this.requestIds = b.requestIds;
        this.bodyGate = b.bodyGate;
        this.refusalRule = b.refusalRule;
        this.clock = b.clock;
    }

    /** Returns the options with every default. */
    public static GuardOptions create() {
        return builder().build();
    }

    /** Starts a builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxRequestHeaders = maxRequestHeaders;
        b.maxBodyBytes = maxBodyBytes;
        b.bodyTimeout = bodyTimeout;
        b.keepAliveIdleTimeout = keepAliveIdleTimeout;
        b.workerThreads = workerThreads;
        b.workerQueueLimit = workerQueueLimit;
        b.requestIds = requestIds;
        b.bodyGate = bodyGate;
        b.refusalRule = refusalRule;
        b.clock = clock;
        return b;
    }

    /** Returns the largest request head in bytes (default {@link #DEFAULT_MAX_HEADER_BYTES}). */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** Returns the most header fields in one request (default {@link #DEFAULT_MAX_REQUEST_HEADERS}). */
    public int maxRequestHeaders() {
        return maxRequestHeaders;
    }

    /** Returns the largest request body in bytes (default {@link #DEFAULT_MAX_BODY_BYTES}). */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Returns how long a body may take to arrive (default {@link #DEFAULT_BODY_TIMEOUT}). */
    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    /** Returns how long an idle keep-alive connection stays open (default {@link #DEFAULT_KEEP_ALIVE_IDLE_TIMEOUT}). */
    public Duration keepAliveIdleTimeout() {
        return keepAliveIdleTimeout;
    }

    /** Returns the number of worker threads (default {@link #DEFAULT_WORKER_THREADS}). */
    public int workerThreads() {
        return workerThreads;
    }

    /** Returns the most tasks that wait for a worker (default {@link #DEFAULT_WORKER_QUEUE_LIMIT}). */
    public int workerQueueLimit() {
        return workerQueueLimit;
    }

    /** Returns the id of a request given its {@code X-Request-Id} header (or {@code null}). */
    public String requestId(@Nullable String given) {
        return requestIds.apply(given);
    }

    /** Returns the gate that decides whether a body may be read (default {@link BodyGate#OPEN}). */
    public BodyGate bodyGate() {
        return bodyGate;
    }

    /** Returns the rule of the status line of the guards' own problems (default {@link RefusalRule#AS_IS}). */
    public RefusalRule refusalRule() {
        return refusalRule;
    }

    /** Returns the clock of problem timestamps (default the UTC system clock). */
    public Clock clock() {
        return clock;
    }

    /** Builds {@link GuardOptions}; not thread-safe. */
    public static final class Builder {
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxRequestHeaders = DEFAULT_MAX_REQUEST_HEADERS;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private Duration keepAliveIdleTimeout = DEFAULT_KEEP_ALIVE_IDLE_TIMEOUT;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int workerQueueLimit = DEFAULT_WORKER_QUEUE_LIMIT;
        private Function<@Nullable String, String> requestIds = DEFAULT_REQUEST_IDS;
        private BodyGate bodyGate = BodyGate.OPEN;
        private RefusalRule refusalRule = RefusalRule.AS_IS;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the largest request head; a larger one is answered 400 {@code invalid_request}.
         *
         * @throws IllegalArgumentException when below 1 KiB
         */
        public Builder maxHeaderBytes(int bytes) {
            require(bytes >= 1024, "maxHeaderBytes must be at least 1024");
            this.maxHeaderBytes = bytes;
            return this;
        }

        /**
         * Sets the most header fields in one request; more are answered 400 {@code invalid_request}.
         *
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxRequestHeaders(int count) {
            require(count >= 1, "maxRequestHeaders must be positive");
            this.maxRequestHeaders = count;
            return this;
        }

        /**
         * Sets the largest request body; a larger one is answered 413 {@code payload_too_large}.
         *
         * @throws IllegalArgumentException when below 1 or above 16 MiB (bodies are held in memory)
         */
        public Builder maxBodyBytes(int bytes) {
            require(bytes >= 1 && bytes <= 16 * 1024 * 1024, "maxBodyBytes must be 1 to 16 MiB");
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Sets how long a request body may take to arrive once the head is in; a body still incomplete then is
         * answered 400 {@code invalid_request} and the connection closed. Also bounds any blocking read.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder bodyTimeout(Duration timeout) {
            require(!Objects.requireNonNull(timeout, "timeout").isNegative() && !timeout.isZero(),
                    "bodyTimeout must be positive");
            this.bodyTimeout = timeout;
            return this;
        }

        /**
         * Sets how long an idle keep-alive connection stays open (whole seconds, at least 1).
         *
         * @throws IllegalArgumentException when below one second
         */
        public Builder keepAliveIdleTimeout(Duration timeout) {
            require(Objects.requireNonNull(timeout, "timeout").toSeconds() >= 1,
                    "keepAliveIdleTimeout must be at least 1 s");
            this.keepAliveIdleTimeout = timeout;
            return this;
        }

        /**
         * Sets the number of worker threads (a fixed pool).
         *
         * @throws IllegalArgumentException when below 1
         */
        public Builder workerThreads(int threads) {
            require(threads >= 1, "workerThreads must be positive");
            this.workerThreads = threads;
            return this;
        }

        /**
         * Sets the most tasks waiting for a worker; beyond it new work is refused.
         *
         * @throws IllegalArgumentException when below 1
         */
        public Builder workerQueueLimit(int limit) {
            require(limit >= 1, "workerQueueLimit must be positive");
            this.workerQueueLimit = limit;
            return this;
        }

        /**
         * Sets the rule that gives a request its id from its {@code X-Request-Id} header ({@code null} when absent),
         * so that problems written here carry the same ids as the application's (default: the header when it is
         * 1–128 of {@code [A-Za-z0-9._:-]}, else a random UUID).
         */
        public Builder requestIds(Function<@Nullable String, String> rule) {
            this.requestIds = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Sets the gate that decides whether a request's body may be read (default {@link BodyGate#OPEN}). */
        public Builder bodyGate(BodyGate gate) {
            this.bodyGate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * Sets the rule that chooses the status line of the problems the guards answer themselves (default
         * {@link RefusalRule#AS_IS}).
         */
        public Builder refusalRule(RefusalRule rule) {
            this.refusalRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Sets the clock of problem timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the options. */
        public GuardOptions build() {
            return new GuardOptions(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
