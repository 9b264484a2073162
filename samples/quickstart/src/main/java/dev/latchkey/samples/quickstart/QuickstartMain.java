package dev.latchkey.samples.quickstart;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar latchkey-quickstart.jar}: runs {@link Quickstart} from the environment until SIGTERM (or
 * Ctrl-C), then stops it cleanly. Logs go to standard error; standard output carries the listening lines and the
 * walkthrough.
 */
public final class QuickstartMain {

    private QuickstartMain() {
    }

    /** Starts the quickstart; returns only when it is stopped. */
    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "latchkey-quickstart-logback.xml");
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(QuickstartMain.class);
        Quickstart quickstart;
        try {
            quickstart = Quickstart.start(System.getenv(), System.out);
        } catch (RuntimeException e) {
            log.error("The Latchkey quickstart could not start: {}", e.getMessage() != null ? e.getMessage() : e.toString());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            quickstart.close();
            stopped.countDown();
        }, "latchkey-quickstart-shutdown"));
        stopped.await();
    }
}
