package dev.latchkey.server;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Runs one of Latchkey's services from its {@code main}: routes {@code java.util.logging} (Grizzly, Jersey) to
 * SLF4J with the service's own logback file unless the user named one, starts it, exits with status 1 when it cannot
 * start, and on SIGTERM closes it (in-flight requests finish, usage is flushed, connections close) before the JVM
 * ends. The admin service and the gateway share it, so they start and stop alike.
 *
 * @since 0.1
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    /**
     * Starts the service and returns only when it has been stopped.
     *
     * @param name          the service's name in logs and in the shutdown thread's name, e.g. {@code gateway}
     * @param logbackConfig the logback file on the class path to use unless {@code logback.configurationFile} is set
     * @param start         starts the service and returns what stops it
     * @throws InterruptedException when interrupted while waiting for the stop
     */
    public static void runUntilStopped(String name, String logbackConfig, Supplier<? extends AutoCloseable> start)
            throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", logbackConfig);
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(ServiceLauncher.class);
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable running;
        try {
            running = start.get();
        } catch (RuntimeException e) {
            log.error("Latchkey {} could not start: {}", name, e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("Latchkey {} did not stop cleanly: {}", name, e.toString());
            } finally {
                stopped.countDown();
            }
        }, "latchkey-" + name + "-shutdown"));
        stopped.await();
    }
}
