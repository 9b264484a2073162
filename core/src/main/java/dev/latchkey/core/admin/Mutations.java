package dev.latchkey.core.admin;

import dev.latchkey.core.WebhookEvent;
import dev.latchkey.core.events.OutboxEvent;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.Job;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.Scopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every {@link KeyManager} change is made of: read a key the actor may see, apply a change, write it back
 * with the store's compare-and-set (retried through {@link CasRetry} when another writer won, unless the caller sent
 * {@code If-Match}), plus the permission and rotation rules several operations share.
 */
final class Mutations {

    private static final Logger LOG = LoggerFactory.getLogger(Mutations.class);

    /** Makes the event a change writes with itself (API.md §10), or {@code null} when none is raised. */
    @FunctionalInterface
    interface EventMaker {
        /** Makes the event; {@code balance} is the quota balance the change settles right after it commits. */
        @Nullable OutboxEvent make(WebhookEvent type, ApiKey key, Actor actor, @Nullable QuotaState balance);

        /** Makes the event of a change that leaves the stored balance as it is. */
        default @Nullable OutboxEvent make(WebhookEvent type, ApiKey key, Actor actor) {
            return make(type, key, actor, null);
        }
    }

    private final KeyStore store;
    private final Clock clock;
    private final EventMaker events;

    Mutations(KeyStore store, Clock clock, EventMaker events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    /** Returns the time, to the millisecond: what every store keeps and every answer shows. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    ApiKey visible(Actor actor, String id) {
        if (!Ids.isValid(id)) {
            throw OperationException.keyNotFound(id);
        }
        Optional<ApiKey> k = store.find(id);
        if (k.isEmpty() || !actor.canSee(k.get().tenantId())) {
            throw OperationException.keyNotFound(id);
        }
        return k.get();
    }

    /**
     * Applies a change to a key with compare-and-set, retrying on a concurrent change unless {@code ifMatch} pins the
     * version. An update that leaves every field as it was writes nothing and raises no event: it keeps the version
     * and {@code updated_at}, so it cannot fail other clients' {@code If-Match} (as an empty {@code PATCH} does not).
     */
    ApiKey mutate(Actor actor, String id, @Nullable Long ifMatch, WebhookEvent eventType,
            Function<ApiKey, ApiKey.Builder> change) {
        return mutate(actor, id, ifMatch, eventType, change, (before, after) -> null);
    }

    /**
     * {@link #mutate(Actor, String, Long, WebhookEvent, Function)} for a change that settles the key's quota balance
     * after it commits: {@code balance} gives, from the key before and after, the balance its event should show
     * ({@code null}: the one stored).
     */
    ApiKey mutate(Actor actor, String id, @Nullable Long ifMatch, WebhookEvent eventType,
            Function<ApiKey, ApiKey.Builder> change, BiFunction<ApiKey, ApiKey, @Nullable QuotaState> balance) {
        for (int attempt = 0; attempt < CasRetry.MAX_ATTEMPTS; attempt++) {
            ApiKey k = visible(actor, id);
            if (ifMatch != null && k.version() != ifMatch) {
                throw new OperationException(OperationException.Reason.PRECONDITION_FAILED,
                        "the key has changed since version " + ifMatch + "; it is at version " + k.version());
            }
            Instant at = now();
            if (!at.isAfter(k.updatedAt())) {
                at = k.updatedAt().plusMillis(1); // updated_at changes with every admin change, even within a millisecond
            }
            ApiKey.Builder b = change.apply(k);
            if (eventType == WebhookEvent.KEY_UPDATED
                    && b.updatedAt(k.updatedAt()).version(k.version()).build().equals(k)
                    && balance.apply(k, k) == null) {
                return k; // no field and no balance changes: no write, no event, the same version
            }
            ApiKey next = b.updatedAt(at).version(k.version() + 1).build();
            if (store.replace(next, k.version(), events.make(eventType, next, actor,
                    balance.apply(k, next)))) {
                return next;
            }
            if (ifMatch != null) {
                throw new OperationException(OperationException.Reason.PRECONDITION_FAILED,
                        "the key changed while this request was applied");
            }
            CasRetry.backOff(attempt);
        }
        throw new OperationException(OperationException.Reason.CONFLICT,
                "the key is being changed by too many requests at once; try again");
    }

    ApiKey.Builder rotation(ApiKey k, Credential fresh, Duration grace) {
        Instant now = now();
        requireRotatable(k, now);
        ApiKey.Builder b = k.toBuilder().current(fresh);
        Instant until = now.plus(grace);
        if (k.expiresAt() != null && k.expiresAt().isBefore(until)) {
            until = k.expiresAt();
        }
        if (until.isAfter(now)) {
            b.previous(k.current(), until);
        } else {
            b.previous(null, null);
        }
        return b;
    }

    static void requireRotatable(ApiKey k, Instant now) {
        KeyStatus s = k.effectiveStatus(now);
        if (s == KeyStatus.BLOCKED || s == KeyStatus.EXPIRED) {
            throw new OperationException(OperationException.Reason.CONFLICT,
                    "the key is " + s.wire() + "; it cannot be rotated or reset");
        }
    }

    static void requireManager(Actor actor) {
        if (!actor.manager()) {
            throw new OperationException(OperationException.Reason.FORBIDDEN, "this key may only verify tokens");
        }
    }

    static void requireMayGrant(Actor actor, List<String> scopes, List<String> alreadyGranted) {
        if (actor.platformAdmin()) {
            return;
        }
        for (String s : scopes) {
            if (Scopes.isPlatform(s) && !alreadyGranted.contains(s)) {
                throw new OperationException(OperationException.Reason.FORBIDDEN,
                        "only root or a latchkey:admin key may grant " + s);
            }
        }
    }

    /** Records a job's end; a store that cannot is logged, not thrown: the change itself is committed. */
    Job finish(Job job) {
        try {
            store.saveJob(job);
        } catch (RuntimeException e) {
            LOG.error("Could not record the end of job {} ({})", job.id(), job.status().wire(), e);
        }
        return job;
    }
}
