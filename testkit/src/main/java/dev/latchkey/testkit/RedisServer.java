package dev.latchkey.testkit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis server that a test may use, injected by {@link WithRedis} as a test or lifecycle method parameter.
 * It may be shared with other test classes, so a test keeps its data apart with {@link #uniqueKeyPrefix()} (or its
 * own database through {@link #uri(int)}) rather than flushing the server.
 *
 * <p>Where the server comes from, in this order: the {@code LATCHKEY_TEST_REDIS} environment variable, a
 * {@code redis-server} binary on the {@code PATH}, a Testcontainers {@code redis:7} container; see {@link #source()}.
 * Implementations are thread-safe.
 */
public interface RedisServer {

    /** Where a server came from. */
    enum Source {
        /** The URI in {@code LATCHKEY_TEST_REDIS}: not ours to stop. */
        ENVIRONMENT,
        /** A {@code redis-server} process this JVM started. */
        PROCESS,
        /** A Testcontainers container. */
        CONTAINER
    }

    /** Returns the Redis URI, such as {@code redis://127.0.0.1:40123}, in the form Lettuce and API.md §1 accept. */
    String uri();

    /**
     * Returns the URI of one logical database of this server (0 to 15), for tests that want a database of their
     * own. Redis Cluster has only database 0, so tests that must also run on Cluster prefer {@link #uniqueKeyPrefix}.
     */
    String uri(int database);

    /** Returns the host the server listens on. */
    String host();

    /** Returns the port the server listens on; it stays the same across {@link #stop()} and {@link #start()}. */
    int port();

    /** Returns where this server came from. */
    Source source();

    /**
     * Returns a key prefix no other caller in this JVM gets, ending in {@code :}, such as {@code lkt7f3a2c01:}.
     * Giving each test class (or test) its own prefix keeps shared-server tests apart.
     */
    default String uniqueKeyPrefix() {
        return KeyPrefixes.next();
    }

    /**
     * Returns whether {@link #stop()} and {@link #start()} work: true for servers this JVM started as processes.
     * Tests that kill and restart Redis skip themselves through an assumption when it is false. The default is
     * false: a server the testkit did not start (from {@code LATCHKEY_TEST_REDIS}, or a container whose port would
     * change) is not the testkit's to stop.
     */
    default boolean restartable() {
        return false;
    }

    /**
     * Stops the server abruptly, as a crash would (the port then refuses connections). Data is lost: these servers
     * run without persistence.
     *
     * @throws UnsupportedOperationException when the server is not {@link #restartable()}
     */
    default void stop() {
        throw notOurs();
    }

    /**
     * Starts the server again on the same port and returns once it answers {@code PING}.
     *
     * @throws UnsupportedOperationException when the server is not {@link #restartable()}
     * @throws IllegalStateException         when it does not come up in time
     */
    default void start() {
        throw notOurs();
    }

    private UnsupportedOperationException notOurs() {
        return new UnsupportedOperationException("this Redis (" + source().name().toLowerCase(java.util.Locale.ROOT)
                + ") was not started by the testkit and is not its to stop or restart");
    }

    /** Returns whether the server answers {@code PING} right now. */
    boolean isRunning();

    /**
     * Sends one command over a fresh connection and returns the reply: a {@link String} for simple and bulk
     * strings, a {@link Long} for integers, a {@link List} for arrays, {@code null} for nil. Meant for test set-up
     * and fault injection ({@code CLIENT KILL TYPE pubsub}, {@code INFO memory}), not for data access.
     *
     * @throws IllegalStateException when Redis cannot be reached or answers with an error
     */
    @Nullable Object command(String... args);
}
