package dev.latchkey.testkit;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WithRedis}: resolves {@link RedisServer} and {@link RedisCluster} parameters
 * with real Redis servers and stops what it started when the run (or, for isolated classes, the class) ends.
 *
 * <p>Servers live in the {@link ExtensionContext.Store} as {@link AutoCloseable} values: the shared server and the
 * cluster in the root context's store (one per run, started on first use), an isolated server in the outermost
 * test class's store. Thread-safe: the store creates each value once even under parallel execution.
 */
public final class RedisExtension implements ParameterResolver {

    /** The environment variable that names an existing Redis to use instead of starting one. */
    public static final String ENV_VAR = "LATCHKEY_TEST_REDIS";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);
    private static final String SHARED = "shared-server";
    private static final String ISOLATED = "isolated-server";
    private static final String CLUSTER = "cluster";

    /** Creates the extension; JUnit does this through {@link WithRedis}. */
    public RedisExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == RedisServer.class || type == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        try {
            if (type == RedisCluster.class) {
                return root(extensionContext).getStore(NAMESPACE)
                        .computeIfAbsent(CLUSTER, k -> RedisClusterProcess.launch(3), RedisClusterProcess.class);
            }
            if (isolated(extensionContext)) {
                return outermostClass(extensionContext).getStore(NAMESPACE)
                        .computeIfAbsent(ISOLATED, k -> startIsolated(), RedisServer.class);
            }
            return root(extensionContext).getStore(NAMESPACE)
                    .computeIfAbsent(SHARED, k -> startShared(), RedisServer.class);
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private static boolean isolated(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> testClass = c.get().getTestClass();
            if (testClass.isPresent()) {
                Optional<WithRedis> a = AnnotationSupport.findAnnotation(testClass.get(), WithRedis.class);
                if (a.isPresent()) {
                    return a.get().isolated();
                }
            }
        }
        return false;
    }

    private static ExtensionContext root(ExtensionContext context) {
        return context.getRoot();
    }

    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().isPresent() && current.getParent().get().getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** The shared server: the environment's, else a process, else a container. */
    static RedisServer startShared() {
        String env = System.getenv(ENV_VAR);
        if (env != null && !env.isBlank()) {
            EnvironmentRedisServer server = new EnvironmentRedisServer(env);
            if (!server.isRunning()) {
                throw new IllegalStateException(ENV_VAR + " names a Redis that does not answer PING: "
                        + server.host() + ":" + server.port());
            }
            return server;
        }
        return startOwn();
    }

    /** An isolated server must be restartable, so a process wins over the environment's server when possible. */
    static RedisServer startIsolated() {
        if (RedisServerProcess.findBinary().isPresent()) {
            return RedisServerProcess.launch();
        }
        return startShared();
    }

    private static RedisServer startOwn() {
        if (RedisServerProcess.findBinary().isPresent()) {
            return RedisServerProcess.launch();
        }
        @Nullable RedisServer container = tryContainer();
        if (container != null) {
            return container;
        }
        throw new IllegalStateException("These tests need a real Redis, and none was found: set " + ENV_VAR
                + " to a Redis URI (e.g. redis://127.0.0.1:6379), or install redis-server so it is on the PATH"
                + " (Debian/Ubuntu: apt-get install -y redis-server), or run Docker with Testcontainers on the"
                + " test class path.");
    }

    private static @Nullable RedisServer tryContainer() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, RedisExtension.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        if (!ContainerRedisServer.dockerAvailable()) {
            return null;
        }
        return ContainerRedisServer.launch();
    }
}
