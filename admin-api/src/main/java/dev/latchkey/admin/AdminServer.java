package dev.latchkey.admin;

import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.history.postgres.PostgresHistory;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.admin.webhooks.WebhookSender;
import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.admin.LimitManager;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.micrometer.server.MetricsApplicationEventListener;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.model.ResourceModel;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin service as an embeddable server: Jersey on Grizzly over a {@link KeyStore}. Build it with
 * {@link #builder(KeyStore)}, {@link #start()} it, read the bound {@link #port()}, and {@link #close()} it: close
 * stops accepting connections, lets in-flight requests finish, flushes counted key uses and stops the job threads.
 * The store belongs to the caller, who closes it afterwards.
 *
 * <p>{@link AdminMain} runs it from the environment; the quickstart sample and tests embed it.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** The resource classes Jersey serves and the OpenAPI document describes. */
    static final Set<Class<?>> RESOURCES = Set.of(KeysResource.class, JobsResource.class, VerifyResource.class,
            HealthResource.class, MetricsResource.class, OpenApiResource.class, TenantsResource.class,
            WebhookConfigsResource.class, StorageConfigsResource.class, UsageResource.class,
            DeliveriesResource.class);

    /** The largest request head Grizzly accepts; beyond it Grizzly answers a bare 400 itself. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final SecureRandom TOKEN_RANDOM = new SecureRandom();

    private final KeyStore store;
    private final String host;
    private final int requestedPort;
    private final String adminToken;
    private final boolean adminTokenGenerated;
    private final @Nullable String pepper;
    private final String tokenPrefix;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final Duration usageFlushInterval;
    private final long authFailureLimit;
    private final Duration authFailurePeriod;
    private final boolean webhookAllowPrivate;
    private final Duration rateLimitStoreTimeout;
    private final AuthSettings.OnStoreError rateLimitOnStoreError;
    private final Duration shutdownGrace;
    private final WebhookSettings webhookSettings;

    private @Nullable HttpServer server;
    private @Nullable ThreadPoolExecutor jobs;
    // Volatile: written by start() and close() under the lock, read by port() and flushUsage() on any thread.
    private volatile @Nullable Authenticator verifyEngine;
    private volatile @Nullable Authenticator adminEngine;
    private @Nullable PostgresHistory postgresHistory;
    private @Nullable HistoryShipper historyShipper;
    private volatile @Nullable WebhookSender webhooks;
    private volatile @Nullable ResourceModel resourceModel;
    private volatile int port = -1;
    private boolean closed;

    AdminServer(AdminServerBuilder b) {
        this.store = b.store;
        this.host = b.host;
        this.requestedPort = b.port;
        if (b.adminToken == null) {
            this.adminToken = generateToken();
            this.adminTokenGenerated = true;
        } else {
            this.adminToken = b.adminToken;
            this.adminTokenGenerated = false;
        }
        this.pepper = b.pepper;
        this.tokenPrefix = b.tokenPrefix;
        this.clock = b.clock;
        this.registry = b.registry == null ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : b.registry;
        this.usageFlushInterval = b.usageFlushInterval;
        this.authFailureLimit = b.authFailureLimit;
        this.authFailurePeriod = b.authFailurePeriod;
        this.webhookAllowPrivate = b.webhookAllowPrivate;
        this.rateLimitStoreTimeout = b.rateLimitStoreTimeout;
        this.rateLimitOnStoreError = b.rateLimitOnStoreError;
        this.shutdownGrace = b.shutdownGrace;
        this.webhookSettings = b.webhookSettings;
    }

    /** Starts a builder for a server on {@code store}. */
    public static AdminServerBuilder builder(KeyStore store) {
        return new AdminServerBuilder(store);
    }

    private static String generateToken() {
        byte[] bytes = new byte[32];
        TOKEN_RANDOM.nextBytes(bytes);
        return "lkroot_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Starts listening. Records the hasher check value and token prefix in the store (warning when the store was
     * issued with others) and binds the port.
     *
     * @throws IllegalStateException when already started
     * @throws UncheckedIOException  when the port cannot be bound
     */
    public synchronized AdminServer start() {
        if (server != null || closed) {
            throw new IllegalStateException("already started");
        }
        SecretHasher hasher = SecretHasher.forPepper(pepper);
        TokenCodec codec = new TokenCodec(tokenPrefix);
        recordSettings(hasher);

        PrometheusNaming.configure(registry);
        bindJvmMetrics();
        AuthSettings auth = AuthSettings.builder().pepper(pepper).tokenPrefix(tokenPrefix)
                .usageFlushInterval(usageFlushInterval).authFailureLimit(authFailureLimit)
                .authFailurePeriod(authFailurePeriod).rateLimitStoreTimeout(rateLimitStoreTimeout)
                .rateLimitOnStoreError(rateLimitOnStoreError).build();
        // POST /v1/verify reports the §6 meters; the service's own authentication records none of them.
        this.verifyEngine = Authenticator.builder(store).settings(auth).meterRegistry(registry).clock(clock).build();
        this.adminEngine = Authenticator.builder(store).settings(auth).clock(clock).build();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "latchkey-admin-job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.jobs = executor;
        EventBodies bodies = new EventBodies(new LimitManager(store, clock), clock);
        KeyManager manager = new KeyManager(store, codec, hasher, clock, executor,
                store.events() == null ? null : bodies);
        AdminContext context = new AdminContext(store, manager, verifyEngine, adminEngine, clock, registry,
                adminToken, webhookAllowPrivate);
        if (store.supportsHistory()) {
            PostgresHistory postgres = new PostgresHistory();
            this.postgresHistory = postgres;
            context.historySource(postgres);
            this.historyShipper = new HistoryShipper(store, manager.configs(), postgres, clock, Duration.ofSeconds(1));
        }

        ResourceConfig config = new ResourceConfig()
                .registerClasses(RESOURCES)
                .register(new AdminBinder(context))
                .register(JacksonFeature.withoutExceptionMappers())
                .register(Json.class)
                .register(ProblemMapper.class)
                .register(RequestIdFilter.class)
                .register(BodyLimitFilter.class)
                .register(MediaHeadersFilter.class)
                .register(Negotiation.class)
                .register(AuthBinding.class)
                .register(new MetricsApplicationEventListener(registry, new BoundedJerseyTags(),
                        "http.server.requests", true))
                .register(new ModelCapture())
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .property(CommonProperties.METAINF_SERVICES_LOOKUP_DISABLE, true)
                .property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false)
                .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true)
                .property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        URI uri = URI.create("http://" + uriHost(host) + ":" + requestedPort + "/");
        HttpServer http = GrizzlyHttpServerFactory.createHttpServer(uri, config, false);
        // Grizzly answers some malformed requests itself, with a bare 400 and no problem body: a body on GET or
        // DELETE (Jersey and BodyLimitFilter judge those instead) and headers over 8 KiB (raised so that a huge
        // Authorization header still reaches the 401 path).
        http.getServerConfiguration().setAllowPayloadForUndefinedHttpMethods(true);
        for (NetworkListener l : http.getListeners()) {
            l.setMaxHttpHeaderSize(MAX_HEADER_BYTES);
        }
        ConsoleHandler.install(http.getServerConfiguration()); // the console (#22) at /console/, then the guards
        AdminGuards.apply(http, context, clock); // problems for transport errors, nosniff, body reads, timeouts
        try {
            http.start();
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("cannot listen on " + host + ":" + requestedPort, e);
        }
        this.server = http;
        if (store.events() != null && store.supportsConfigs() && store.supportsLimits()) {
            this.webhooks = new WebhookSender(store, bodies, clock, registry, webhookSettings,
                    "admin-" + Ids.next()).start();
        }
        NetworkListener listener = http.getListeners().iterator().next();
        this.port = listener.getPort();
        LOG.info("Latchkey admin API listening on http://{}:{} (store: {})", host, port, store.kind());
        return this;
    }

    private static String uriHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private void recordSettings(SecretHasher hasher) {
        try {
            String check = store.initSetting(KeyStore.HASHER_CHECK, hasher.checkValue());
            if (!check.equals(hasher.checkValue())) {
                LOG.warn("This store's keys were issued with a different pepper (LATCHKEY_PEPPER): "
                        + "tokens issued earlier will not verify");
            }
            String prefix = store.initSetting(KeyStore.TOKEN_PREFIX, tokenPrefix);
            if (!prefix.equals(tokenPrefix)) {
                LOG.warn("This store's keys were issued with token prefix '{}', not '{}' (LATCHKEY_TOKEN_PREFIX)",
                        prefix, tokenPrefix);
            }
        } catch (StoreUnavailableException e) {
            LOG.warn("Could not check the store's pepper and prefix settings: {}", e.getMessage());
        }
    }

    private void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * Returns the bound port (useful with port 0).
     *
     * @throws IllegalStateException when not started
     */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    /** Returns the base URI, such as {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        return URI.create("http://" + uriHost(host) + ":" + port());
    }

    /** Returns the root admin token: the one given, or the one generated for this server. */
    public String adminToken() {
        return adminToken;
    }

    /** Returns whether the root admin token was generated (so the launcher prints it once). */
    public boolean adminTokenGenerated() {
        return adminTokenGenerated;
    }

    /** Returns the registry that {@code /metrics} renders. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Returns the resource model Jersey serves, once started (for tests that compare it with the OpenAPI). */
    @Nullable ResourceModel resourceModel() {
        return resourceModel;
    }

    /** Writes every counted key use to the store now (for tests). */
    void flushUsage() {
        for (Authenticator a : new Authenticator[] {verifyEngine, adminEngine}) {
            if (a != null) {
                a.usage().flush();
            }
        }
    }

    /**
     * Stops the server: no new connections, in-flight requests finish (up to the shutdown grace), counted uses are
     * flushed, job threads stop. Does not close the store. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        HttpServer http = server;
        if (http != null) {
            try {
                http.shutdown(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS).get(shutdownGrace.toMillis() + 5_000,
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                http.shutdownNow();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("The HTTP server did not stop in time: {}", e.toString());
                http.shutdownNow();
            }
        }
        closeQuietly();
        LOG.info("Latchkey admin API stopped");
    }

    private void closeQuietly() {
        WebhookSender sender = webhooks;
        if (sender != null) {
            sender.close();
        }
        ThreadPoolExecutor executor = jobs;
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
            }
        }
        for (Authenticator a : new Authenticator[] {verifyEngine, adminEngine}) {
            if (a != null) {
                a.close();
            }
        }
        // After the engines: their last usage flush may queue history to ship.
        HistoryShipper shipper = historyShipper;
        if (shipper != null) {
            shipper.close();
        }
        PostgresHistory postgres = postgresHistory;
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Captures the resource model Jersey built, so tests can compare it with the OpenAPI document. */
    private final class ModelCapture implements ApplicationEventListener {
        @Override
        public void onEvent(ApplicationEvent event) {
            if (event.getType() == ApplicationEvent.Type.INITIALIZATION_FINISHED) {
                resourceModel = event.getResourceModel();
            }
        }

        @Override
        public @Nullable RequestEventListener onRequest(RequestEvent requestEvent) {
            return null;
        }
    }
}
