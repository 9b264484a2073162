package dev.latchkey.testkit;

import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers {@code redis:7} container: the last resort when there is no {@code redis-server} binary. This
 * class is loaded only after {@link RedisExtension} has checked that Testcontainers is on the class path, because
 * it is an optional dependency of the testkit. It is not restartable: a restarted container gets another port.
 */
final class ContainerRedisServer implements RedisServer, AutoCloseable {

    private static final int REDIS_PORT = 6379;

    private final GenericContainer<?> container;

    private ContainerRedisServer(GenericContainer<?> container) {
        this.container = container;
    }

    /** Returns whether Docker answers (Testcontainers gives up quickly when it does not). */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    static ContainerRedisServer launch() {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("redis:7"))
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        c.start();
        ContainerRedisServer server = new ContainerRedisServer(c);
        if (!Resp.awaitPong(server.host(), server.port(), null, RedisServerProcess.START_TIMEOUT)) {
            c.stop();
            throw new IllegalStateException("the redis:7 container did not answer PING");
        }
        return server;
    }

    @Override
    public String uri() {
        return "redis://" + host() + ":" + port();
    }

    @Override
    public String uri(int database) {
        return uri() + "/" + database;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(REDIS_PORT);
    }

    @Override
    public Source source() {
        return Source.CONTAINER;
    }

    @Override
    public boolean isRunning() {
        try {
            return "PONG".equals(command("PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public @Nullable Object command(String... args) {
        try {
            return Resp.command(host(), port(), null, Duration.ofSeconds(10), args);
        } catch (IOException | Resp.ErrorReply e) {
            throw new IllegalStateException("Redis container failed " + args[0] + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
