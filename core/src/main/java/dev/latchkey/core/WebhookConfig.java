package dev.latchkey.core;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a tenant's key events go (API.md §10): a receiver URL, the events it wants, and the signing secrets. The
 * secrets are kept in plaintext by necessity (a sender signs with them, Standard Webhooks HMAC) and are never listed,
 * logged or sent: {@link #toString()} leaves them out, and answers show a secret only when it is created.
 *
 * @param id                       the id (a ULID)
 * @param tenantId                 the owning tenant
 * @param url                      the receiver, {@code http://} or {@code https://}
 * @param events                   the events wanted, in the order given, without duplicates ({@link WebhookEvent#ALL}
 *                                 for every event)
 * @param description              free text (≤ 200 characters), or {@code null}
 * @param enabled                  whether events are sent
 * @param createdAt                creation time
 * @param updatedAt                time of the last change
 * @param secret                   the current signing secret, {@code whsec_<base64>}
 * @param previousSecret           the secret before the last rotation, or {@code null}
 * @param previousSecretExpiresAt  until when the previous secret also signs, or {@code null}
 * @param version                  1 at creation, +1 with every change
 */
public record WebhookConfig(String id, String tenantId, String url, List<WebhookEvent> events,
        @Nullable String description, boolean enabled, Instant createdAt, Instant updatedAt, String secret,
        @Nullable String previousSecret, @Nullable Instant previousSecretExpiresAt, long version)
        implements TenantConfig {

    /** The prefix of every signing secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** How long a rotated-out secret still signs: 24 hours. */
    public static final Duration PREVIOUS_SECRET_GRACE = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();

    public WebhookConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(secret, "secret");
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a webhook config wants at least one event");
        }
        if ((previousSecret == null) != (previousSecretExpiresAt == null)) {
            throw new IllegalArgumentException("the previous secret and its deadline go together");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** Returns a new random signing secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(b);
    }

    /** Returns whether this config is enabled and wants {@code event}. */
    public boolean wants(WebhookEvent event) {
        return enabled && (events.contains(WebhookEvent.ALL) || events.contains(event));
    }

    /** Returns the secrets that sign at {@code now}: the current one, then the previous one while it is graced. */
    public List<String> signingSecrets(Instant now) {
        List<String> out = new ArrayList<>(2);
        out.add(secret);
        if (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)) {
            out.add(previousSecret);
        }
        return out;
    }

    /**
     * Returns a copy with a new current secret; the old one signs too until {@code now} plus
     * {@link #PREVIOUS_SECRET_GRACE}. The version is the caller's to set.
     */
    public WebhookConfig withRotatedSecret(String newSecret, Instant now, long newVersion) {
        return new WebhookConfig(id, tenantId, url, events, description, enabled, createdAt, now, newSecret, secret,
                now.plus(PREVIOUS_SECRET_GRACE), newVersion);
    }

    /** Returns a copy with these changeable fields, {@code updatedAt} and version. */
    public WebhookConfig withFields(String newUrl, List<WebhookEvent> newEvents, @Nullable String newDescription,
            boolean newEnabled, Instant now, long newVersion) {
        return new WebhookConfig(id, tenantId, newUrl, newEvents, newDescription, newEnabled, createdAt, now, secret,
                previousSecret, previousSecretExpiresAt, newVersion);
    }

    /** Leaves the secrets out. */
    @Override
    public String toString() {
        return "WebhookConfig[id=" + id + ", tenantId=" + tenantId + ", url=" + url + ", events=" + events
                + ", enabled=" + enabled + ", version=" + version + "]";
    }
}
