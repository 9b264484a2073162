package dev.latchkey.core.events;

import com.github.f4b6a3.ulid.Ulid;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;

/**
 * Ids that every node derives alike: ULIDs whose time part is given and whose random part is a hash of a seed. So the
 * event that the expiry scan, or a quota's last charge, raises has one id whichever node raises it (and
 * {@link EventLog#raiseOnce} keeps it to once), and a delivery of one event to one config has one id however often
 * the event is handled.
 */
public final class EventIds {

    private EventIds() {
    }

    /** Returns the ULID with {@code time}'s milliseconds and the first 80 bits of SHA-256 of {@code seed}. */
    public static String derived(Instant time, String seed) {
        byte[] bytes = new byte[16];
        long ms = Math.max(0, time.toEpochMilli());
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (ms >>> (8 * (5 - i)));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            System.arraycopy(hash, 0, bytes, 6, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return Ulid.from(bytes).toString();
    }

    /**
     * Returns the {@code key.expired} event of a key that expired at its {@code expires_at}: one per key and expiry
     * time, with no body (the sender renders the key as it then is).
     */
    public static OutboxEvent expired(ApiKey key) {
        Instant at = Objects.requireNonNull(key.expiresAt(), "expiresAt");
        return new OutboxEvent(derived(at, key.id() + "\n" + WebhookEvent.KEY_EXPIRED.wire() + "\n" + at.toEpochMilli()),
                WebhookEvent.KEY_EXPIRED.wire(), key.id(), key.tenantId(), at, null, null);
    }

    /**
     * Returns the {@code key.quota_exhausted} event of a charge that spent a key's last unit: one per quota period
     * (the id follows the refill time), or, for prepaid credits, one per balance sequence (a top-up starts a new
     * one). Its tenant is empty and it has no body: the sender reads the key when it handles it.
     */
    public static OutboxEvent quotaExhausted(String keyId, ChargeResult result) {
        QuotaState q = Objects.requireNonNull(result.quota(), "quota");
        String period = q.refillsAt() != null ? "p" + q.refillsAt().toEpochMilli() : "s" + q.sequence();
        Instant time = q.refillsAt() != null ? q.refillsAt() : result.storeTime();
        return new OutboxEvent(derived(time, keyId + "\n" + WebhookEvent.KEY_QUOTA_EXHAUSTED.wire() + "\n" + period),
                WebhookEvent.KEY_QUOTA_EXHAUSTED.wire(), keyId, "", result.storeTime(), null, null);
    }
}
