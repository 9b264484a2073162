package dev.latchkey.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Redis: test methods, lifecycle methods and constructors may declare a
 * {@link RedisServer} parameter (and a {@link RedisCluster} parameter for a three-master cluster).
 *
 * <p>The server comes from, in this order:
 * <ol>
 *   <li>the environment variable {@value RedisExtension#ENV_VAR}, a Redis URI such as
 *       {@code redis://127.0.0.1:6379} (used as given; never flushed or stopped);</li>
 *   <li>a {@code redis-server} binary on the {@code PATH}, started on a free loopback port without persistence, in
 *       a temporary directory of its own, and stopped at the end;</li>
 *   <li>a Testcontainers {@code redis:7} container, when Testcontainers is on the class path and Docker answers.</li>
 * </ol>
 * When none is available the test fails with a message that says how to get one
 * ({@code apt-get install -y redis-server}, or set {@value RedisExtension#ENV_VAR}).
 *
 * <p>By default one server is shared by every test class of the run, and classes keep apart through
 * {@link RedisServer#uniqueKeyPrefix()}. A class that stops and restarts Redis asks for {@code isolated = true}: it
 * gets a process of its own (even when {@value RedisExtension#ENV_VAR} is set, as long as {@code redis-server} is on
 * the {@code PATH}), stopped after the class.
 *
 * <pre>
 * &#64;WithRedis
 * class RedisKeyStoreIT {
 *     &#64;Test
 *     void ping(RedisServer redis) {
 *         assertThat(redis.command("PING")).isEqualTo("PONG");
 *     }
 * }
 * </pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
public @interface WithRedis {

    /**
     * Whether the test class gets a Redis process of its own, which it may {@link RedisServer#stop() stop} and
     * {@link RedisServer#start() start}, instead of the run-wide shared one.
     */
    boolean isolated() default false;
}
