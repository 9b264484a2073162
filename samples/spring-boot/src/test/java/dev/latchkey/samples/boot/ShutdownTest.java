package dev.latchkey.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.samples.demo.DemoAppChecks;
import java.net.URI;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Tests for the sample's shutdown: the starter's engine flushes the uses it counted before the store closes. */
class ShutdownTest {

    @Test
    void close_flushesCountedUses_thenClosesTheStore() {
        // Uses are written only at close, so the test sees whether that last flush reaches the store.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LatchkeyBootApplication.class)
                // Arguments, not default properties: application.properties would win over those.
                .run("--server.port=0", "--latchkey.redis-url=", "--latchkey.usage.flush-interval=PT1H");
        // After start: Spring Boot resets the logging configuration while it starts.
        Logger usageLog = (Logger) LoggerFactory.getLogger(UsageRecorder.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        usageLog.addAppender(events);
        try {
            KeyStore store = context.getBean(KeyStore.class);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            KeyManager keys = new KeyManager(store, TokenCodec.defaults(), SecretHasher.forPepper(null),
                    Clock.systemUTC(), Runnable::run);
            IssuedKey key = keys.create(Actor.ROOT, CreateKeyRequest.named("counted"));
            DemoAppChecks.assertHello(URI.create("http://127.0.0.1:" + port), key.token(), key.key().id(), "default");

            context.close();

            assertThat(events.list).as("no use was lost at shutdown")
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
            assertThatThrownBy(() -> store.find(key.key().id())).as("the store is closed after the engine")
                    .isInstanceOf(StoreUnavailableException.class);
        } finally {
            context.close();
            usageLog.detachAppender(events);
        }
    }
}
