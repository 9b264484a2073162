package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.Page;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.Verification;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyPatch;
import dev.latchkey.core.admin.ListKeysRequest;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.admin.ResetStarted;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.IpAddresses;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store contract, topic by topic. The admin rules over a store: rotation and grace, versions and {@code If-Match},
 * status rules, tenants. Part of {@link KeyStoreContract}, which every store's test extends.
 */
@Tag("contract")
public interface AdminRulesContract extends StoreFixture {

    @Test
    default void rotate_withoutForce_keepsOldTokenValidForGrace() {
        IssuedKey k = create("rotating");
        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, 2 * HOUR);

        Verification old = verifier().verify(k.token(), null);
        Verification fresh = verifier().verify(r.token(), null);
        assertThat(old.code()).isEqualTo(VerifyCode.VALID);
        assertThat(old.previousSecret()).isTrue();
        assertThat(fresh.code()).isEqualTo(VerifyCode.VALID);
        assertThat(fresh.previousSecret()).isFalse();
        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(now().plusSeconds(2 * HOUR));
    }

    @Test
    default void rotate_afterGraceEnds_oldTokenIsNotFound() {
        IssuedKey k = create("rotating");
        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, 2 * HOUR);

        clock().advance(Duration.ofSeconds(2 * HOUR - 1));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
        clock().advance(Duration.ofSeconds(1));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void rotate_defaultGrace_isSixHours() {
        IssuedKey k = create("rotating");
        manager().rotate(Actor.ROOT, k.key().id(), false, null);

        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(now().plus(Duration.ofHours(6)));
    }

    @Test
    default void rotate_duringGrace_endsTheOldestToken() {
        IssuedKey k = create("rotating");
        IssuedKey second = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);
        clock().advance(Duration.ofMinutes(5));
        IssuedKey third = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verifier().verify(second.token(), null).previousSecret()).isTrue();
        assertThat(verify(second.token())).isEqualTo(VerifyCode.VALID);
        assertThat(verify(third.token())).isEqualTo(VerifyCode.VALID);
        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(now().plusSeconds(HOUR));
    }

    @Test
    default void rotate_withForce_killsOldTokenAtOnce() {
        IssuedKey k = create("rotating");
        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), true, 2 * HOUR);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
        ApiKey found = stored(k.key().id());
        assertThat(found.previous()).isNull();
        assertThat(found.previousExpiresAt()).isNull();
    }

    @Test
    default void rotate_withForce_duringGrace_killsBothOldTokens() {
        IssuedKey k = create("rotating");
        IssuedKey second = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);
        IssuedKey third = manager().rotate(Actor.ROOT, k.key().id(), true, null);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(second.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(third.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void rotate_zeroGrace_killsOldTokenAtOnce() {
        IssuedKey k = create("rotating");
        manager().rotate(Actor.ROOT, k.key().id(), false, 0L);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(stored(k.key().id()).previous()).isNull();
    }

    @Test
    default void rotate_graceNeverOutlivesTheKey() {
        Instant expiry = now().plus(Duration.ofHours(1));
        IssuedKey k = create(CreateKeyRequest.named("expiring").withExpiresAt(at(expiry)));
        manager().rotate(Actor.ROOT, k.key().id(), false, 6 * HOUR);

        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(expiry);
        clock().set(expiry);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
    }

    @Test
    default void update_expiryBeforeGraceEnd_shortensTheGrace() {
        IssuedKey k = create("rotating");
        manager().rotate(Actor.ROOT, k.key().id(), false, 6 * HOUR);
        Instant expiry = now().plus(Duration.ofHours(1));
        manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withExpiresAt(at(expiry)), null);

        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(expiry);
    }

    @Test
    default void rotate_keepsIdScopesRulesMetadataAndUsage() {
        IssuedKey k = create(CreateKeyRequest.named("rich")
                .withScopes(List.of("reports:read"))
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", "office", null)))
                .withMetadata(Map.of("team", "payments")));
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.key().id(), 3, now(), "203.0.113.5")));
        clock().advance(Duration.ofSeconds(10));

        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, null);

        ApiKey found = stored(k.key().id());
        assertThat(Keys.CODEC.keyIdOf(r.token())).isEqualTo(k.key().id());
        assertThat(found.scopes()).isEqualTo(k.key().scopes());
        assertThat(found.ipRestrictions()).isEqualTo(k.key().ipRestrictions());
        assertThat(found.metadata()).isEqualTo(k.key().metadata());
        assertThat(found.usage()).isEqualTo(new Usage(3, k.key().createdAt(), "203.0.113.5"));
        assertThat(found.version()).isEqualTo(2);
        assertThat(found.updatedAt()).isEqualTo(now());
        assertThat(found.hint()).isEqualTo(Keys.CODEC.hint(r.token(), false));
    }

    @Test
    default void rotate_blockedOrExpiredKey_isConflict() {
        IssuedKey blocked = create("blocked");
        manager().setStatus(Actor.ROOT, blocked.key().id(), "blocked", null, null);
        IssuedKey expiring = create(CreateKeyRequest.named("expiring")
                .withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        clock().advance(Duration.ofHours(2));

        assertThat(reasonOf(() -> manager().rotate(Actor.ROOT, blocked.key().id(), false, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().rotate(Actor.ROOT, expiring.key().id(), true, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(stored(expiring.key().id()).version()).isEqualTo(1);
    }

    @Test
    default void everyAdminChange_bumpsVersionAndUpdatedAt() {
        IssuedKey k = create("versioned");
        String id = k.key().id();
        assertThat(k.key().version()).isEqualTo(1);

        clock().advance(Duration.ofSeconds(1));
        assertThat(manager().update(Actor.ROOT, id, KeyPatch.EMPTY.withName("renamed"), null).version()).isEqualTo(2);
        assertThat(stored(id).updatedAt()).isEqualTo(now());
        clock().advance(Duration.ofSeconds(1));
        assertThat(manager().setStatus(Actor.ROOT, id, "inactive", null, null).version()).isEqualTo(3);
        assertThat(stored(id).updatedAt()).isEqualTo(now());
        clock().advance(Duration.ofSeconds(1));
        assertThat(manager().rotate(Actor.ROOT, id, false, null).key().version()).isEqualTo(4);
        assertThat(stored(id).updatedAt()).isEqualTo(now());
        assertThat(stored(id).version()).isEqualTo(4);
    }

    @Test
    default void update_withCurrentIfMatch_applies() {
        IssuedKey k = create("versioned");

        ApiKey updated = manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withName("renamed"), 1L);

        assertThat(updated.version()).isEqualTo(2);
        assertThat(stored(k.key().id()).name()).isEqualTo("renamed");
    }

    @Test
    default void update_withStaleIfMatch_isPreconditionFailed_andChangesNothing() {
        IssuedKey k = create("versioned");
        manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withName("second"), null);
        ApiKey before = stored(k.key().id());

        assertThat(reasonOf(() -> manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withName("third"), 1L)))
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
        assertThat(reasonOf(() -> manager().setStatus(Actor.ROOT, k.key().id(), "inactive", null, 1L)))
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
        assertThat(store().find(k.key().id())).contains(before);
    }

    @Test
    default void status_activeAndInactive_toggleAndAreEnforced() {
        IssuedKey k = create("toggled");

        ApiKey off = manager().setStatus(Actor.ROOT, k.key().id(), "inactive", "paused", null);
        assertThat(off.effectiveStatus(now())).isEqualTo(KeyStatus.INACTIVE);
        assertThat(stored(k.key().id()).statusChange().reason()).isEqualTo("paused");
        assertThat(stored(k.key().id()).statusChange().by()).isEqualTo("root");
        assertThat(stored(k.key().id()).statusChange().at()).isEqualTo(now());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.INACTIVE);

        manager().setStatus(tenantAdmin("default"), k.key().id(), "active", null, null);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void status_blockIsOnlyForPlatformAdmins() {
        IssuedKey k = create(CreateKeyRequest.named("guarded").withTenant("acme"));
        String id = k.key().id();
        Actor acmeAdmin = tenantAdmin("acme");

        assertThat(reasonOf(() -> manager().setStatus(acmeAdmin, id, "blocked", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(stored(id).version()).isEqualTo(1);

        ApiKey blocked = manager().setStatus(PLATFORM_ADMIN, id, "blocked", "abuse", null);
        assertThat(blocked.storedStatus()).isEqualTo(KeyStatus.BLOCKED);
        assertThat(stored(id).statusChange().by()).isEqualTo(PLATFORM_ADMIN.keyId());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.BLOCKED);

        assertThat(reasonOf(() -> manager().setStatus(acmeAdmin, id, "active", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager().setStatus(acmeAdmin, id, "inactive", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager().update(acmeAdmin, id, KeyPatch.EMPTY.withName("x"), null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().rotate(acmeAdmin, id, false, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().reset(acmeAdmin, id)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().delete(acmeAdmin, id)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(stored(id).version()).isEqualTo(2);
        assertThat(stored(id).storedStatus()).isEqualTo(KeyStatus.BLOCKED);

        manager().setStatus(Actor.ROOT, id, "inactive", null, null);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.INACTIVE);
    }

    @Test
    default void status_blockedWinsOverExpired() {
        IssuedKey k = create(CreateKeyRequest.named("both").withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        manager().setStatus(Actor.ROOT, k.key().id(), "blocked", null, null);
        clock().advance(Duration.ofHours(2));

        assertThat(stored(k.key().id()).effectiveStatus(now())).isEqualTo(KeyStatus.BLOCKED);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.BLOCKED);
    }

    @Test
    default void status_expiredKey_cannotBeActivated_untilExpiryMovesForward() {
        IssuedKey k = create(CreateKeyRequest.named("expiring").withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        String id = k.key().id();
        clock().advance(Duration.ofHours(2));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.EXPIRED);

        assertThat(reasonOf(() -> manager().setStatus(Actor.ROOT, id, "active", null, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(stored(id).version()).isEqualTo(1);

        manager().update(Actor.ROOT, id, KeyPatch.EMPTY.withExpiresAt(at(now().plus(Duration.ofDays(1)))), null);
        assertThat(stored(id).effectiveStatus(now())).isEqualTo(KeyStatus.ACTIVE);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void status_movingExpiryForward_restoresTheStoredStatus() {
        IssuedKey k = create(CreateKeyRequest.named("expiring").withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        String id = k.key().id();
        manager().setStatus(Actor.ROOT, id, "inactive", null, null);
        clock().advance(Duration.ofHours(2));
        assertThat(stored(id).effectiveStatus(now())).isEqualTo(KeyStatus.EXPIRED);
        manager().setStatus(Actor.ROOT, id, "inactive", "still off", null);

        manager().update(Actor.ROOT, id, KeyPatch.EMPTY.withExpiresAt(null), null);

        assertThat(stored(id).effectiveStatus(now())).isEqualTo(KeyStatus.INACTIVE);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.INACTIVE);
    }

    @Test
    default void reset_succeeds_killsOldTokenAtOnce_andRecordsTheJob() {
        IssuedKey k = create("reset me");
        manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);

        ResetStarted started = manager().reset(Actor.ROOT, k.key().id());

        assertThat(started.job().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(started.job().keyId()).isEqualTo(k.key().id());
        assertThat(store().findJob(started.job().id())).contains(started.job());
        assertThat(started.job().finishedAt()).isEqualTo(now());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(started.token())).isEqualTo(VerifyCode.VALID);
        assertThat(stored(k.key().id()).previous()).isNull();
        assertThat(manager().job(Actor.ROOT, started.job().id())).isEqualTo(started.job());
    }

    @Test
    default void tenantAdmin_otherTenantsKeys_are404_andUntouched() {
        IssuedKey theirs = create(CreateKeyRequest.named("theirs").withTenant("globex"));
        String id = theirs.key().id();
        Actor acme = tenantAdmin("acme");

        assertThat(reasonOf(() -> manager().get(acme, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().update(acme, id, KeyPatch.EMPTY.withName("mine"), null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().setStatus(acme, id, "inactive", null, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().rotate(acme, id, true, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().reset(acme, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().delete(acme, id))).isEqualTo(OperationException.Reason.NOT_FOUND);

        assertThat(stored(id)).isEqualTo(theirs.key());
        assertThat(verify(theirs.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void tenantAdmin_listsOnlyItsOwnTenant() {
        String mine = create(CreateKeyRequest.named("mine").withTenant("acme")).key().id();
        create(CreateKeyRequest.named("theirs").withTenant("globex"));
        Actor acme = tenantAdmin("acme");

        Page<ApiKey> own = manager().list(acme, new ListKeysRequest(null, null, null, null, 0, 0));
        assertThat(ids(own)).containsExactly(mine);
        assertThat(own.total()).isEqualTo(1);
        assertThat(reasonOf(() -> manager().list(acme, new ListKeysRequest("globex", null, null, null, 0, 0))))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 0, 0)).total()).isEqualTo(2);
    }

    @Test
    default void tenantAdmin_jobsOfOtherTenants_are404() {
        IssuedKey theirs = create(CreateKeyRequest.named("theirs").withTenant("globex"));
        ResetStarted started = manager().reset(Actor.ROOT, theirs.key().id());

        assertThat(reasonOf(() -> manager().job(tenantAdmin("acme"), started.job().id())))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(manager().job(tenantAdmin("globex"), started.job().id()).status()).isEqualTo(JobStatus.SUCCESS);
    }

    @Test
    default void verifier_withTenantRestriction_otherTenantsTokensAreNotFound() {
        IssuedKey theirs = create(CreateKeyRequest.named("theirs").withTenant("globex"));

        assertThat(verifier().verify(theirs.token(), null, List.of(), "acme").code()).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verifier().verify(theirs.token(), null, List.of(), "globex").code()).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void verifier_overTheStore_appliesIpRulesAndScopes() {
        IssuedKey k = create(CreateKeyRequest.named("restricted")
                .withScopes(List.of("reports:*"))
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", null, null),
                        new IpRuleInput("2001:db8::/32", null, "inactive"))));

        assertThat(verifier().verify(k.token(), IpAddresses.parseAddress("203.0.113.77"), List.of("reports:read"))
                .code()).isEqualTo(VerifyCode.VALID);
        assertThat(verifier().verify(k.token(), IpAddresses.parseAddress("2001:db8::1"), List.of()).code())
                .isEqualTo(VerifyCode.IP_NOT_ALLOWED);
        assertThat(verifier().verify(k.token(), IpAddresses.parseAddress("203.0.113.77"), List.of("billing:read"))
                .code()).isEqualTo(VerifyCode.INSUFFICIENT_SCOPE);
    }
}
