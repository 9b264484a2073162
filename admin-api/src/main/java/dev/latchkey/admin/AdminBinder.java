package dev.latchkey.admin;

import dev.latchkey.core.ConfigManager;
import dev.latchkey.core.KeyManager;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.LimitManager;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.glassfish.jersey.inject.hk2.AbstractBinder;

/** Every object the resources and filters get injected, in one place: the store, rules, clock, meters. */
final class AdminBinder extends AbstractBinder {

    private final AdminContext context;

    AdminBinder(AdminContext context) {
        this.context = context;
    }

    @Override
    protected void configure() {
        bind(context).to(AdminContext.class);
        bind(context.store()).to(KeyStore.class);
        bind(context.manager()).to(KeyManager.class);
        bind(context.manager().limits()).to(LimitManager.class);
        bind(context.manager().configs()).to(ConfigManager.class);
        bind(context.clock()).to(Clock.class);
        bind(context.registry()).to(PrometheusMeterRegistry.class);
    }
}
