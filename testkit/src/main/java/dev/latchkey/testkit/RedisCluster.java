package dev.latchkey.testkit;

import java.util.List;

/**
 * A real Redis Cluster of three masters on free loopback ports, injected by {@link WithRedis} when a test asks for a
 * parameter of this type. It is started the first time a test asks for it and is shared by the whole run, so tests
 * keep their data apart with {@link #uniqueKeyPrefix()}.
 */
public interface RedisCluster {

    /**
     * Returns the cluster URI in API.md §1 form: a comma-separated list of the nodes,
     * {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,redis://127.0.0.1:p3}.
     */
    String uri();

    /** Returns the master nodes as {@code host:port}. */
    List<String> nodes();

    /** Returns a key prefix no other caller in this JVM gets, ending in {@code :}. */
    String uniqueKeyPrefix();
}
