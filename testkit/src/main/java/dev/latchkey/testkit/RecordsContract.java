package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.TokenForm;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.Verification;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store contract, topic by topic. Records: create, find, the imported-hash index, compare-and-set {@code replace},
 * delete, jobs and settings. Part of {@link KeyStoreContract}, which every store's test extends.
 */
@Tag("contract")
public interface RecordsContract extends StoreFixture {

    @Test
    default void kind_isNamed_andPingAnswers() {
        assertThat(store().kind()).isNotBlank();
        store().ping();
    }

    @Test
    default void create_thenFind_returnsEveryFieldUnchanged() {
        ApiKey full = Keys.full(now());
        store().create(full);

        assertThat(store().find(full.id())).contains(full);
    }

    @Test
    default void create_minimalKey_roundTripsWithNullsAndEmptyCollections() {
        ApiKey minimal = Keys.minimal(now());
        store().create(minimal);

        ApiKey found = stored(minimal.id());
        assertThat(found).isEqualTo(minimal);
        assertThat(found.ownerId()).isNull();
        assertThat(found.expiresAt()).isNull();
        assertThat(found.previous()).isNull();
        assertThat(found.scopes()).isEmpty();
        assertThat(found.metadata()).isEmpty();
        assertThat(found.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    default void find_unknownId_isEmpty() {
        assertThat(store().find(Ids.next())).isEmpty();
    }

    @Test
    default void create_duplicateId_throwsDuplicateKey_andKeepsTheFirst() {
        ApiKey first = Keys.minimal(now());
        store().create(first);
        ApiKey second = first.toBuilder().name("second").current(Keys.generated(Keys.token(first.id()))).build();

        assertThatThrownBy(() -> store().create(second)).isInstanceOf(DuplicateKeyException.class);
        assertThat(store().find(first.id())).contains(first);
    }

    @Test
    default void create_takenImportedToken_throwsDuplicateKey_andStoresNothing() {
        ApiKey first = Keys.key("first", now()).current(Keys.imported("my-own-token-value-0001")).build();
        store().create(first);
        ApiKey second = Keys.key("second", now()).current(Keys.imported("my-own-token-value-0001")).build();

        assertThatThrownBy(() -> store().create(second)).isInstanceOf(DuplicateKeyException.class);
        assertThat(store().find(second.id())).isEmpty();
        assertThat(store().findByImportedHash(Keys.HASHER.hash("my-own-token-value-0001")))
                .map(ApiKey::id).contains(first.id());
    }

    @Test
    default void findByImportedHash_findsImportedOnly() {
        ApiKey imported = Keys.key("imported", now()).current(Keys.imported("imported-token-0002")).build();
        String generatedToken = Keys.token(Ids.next());
        ApiKey generated = Keys.key("generated", now()).current(Keys.generated(generatedToken)).build();
        store().create(imported);
        store().create(generated);

        assertThat(store().findByImportedHash(Keys.HASHER.hash("imported-token-0002"))).contains(imported);
        assertThat(store().findByImportedHash(Keys.HASHER.hash(generatedToken))).isEmpty();
        assertThat(store().findByImportedHash(Keys.HASHER.hash("never-imported-0003"))).isEmpty();
    }

    @Test
    default void replace_atExpectedVersion_writesTheNewRecord() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        ApiKey next = k.toBuilder().name("renamed").scopes(List.of("a:b")).updatedAt(now().plusSeconds(1))
                .version(2).build();

        assertThat(store().replace(next, 1)).isTrue();
        assertThat(store().find(k.id())).contains(next);
    }

    @Test
    default void replace_staleVersion_returnsFalse_andChangesNothing() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        ApiKey v2 = k.toBuilder().name("v2").version(2).build();
        assertThat(store().replace(v2, 1)).isTrue();

        ApiKey stale = k.toBuilder().name("stale").version(2).build();
        assertThat(store().replace(stale, 1)).isFalse();
        ApiKey future = k.toBuilder().name("future").version(6).build();
        assertThat(store().replace(future, 5)).isFalse();

        assertThat(store().find(k.id())).contains(v2);
    }

    @Test
    default void replace_unknownKey_returnsFalse_andCreatesNothing() {
        ApiKey ghost = Keys.minimal(now()).toBuilder().version(2).build();

        assertThat(store().replace(ghost, 1)).isFalse();
        assertThat(store().find(ghost.id())).isEmpty();
        assertThat(listAll(a -> a).total()).isZero();
    }

    @Test
    default void replace_neverChangesUsage() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 5, now(), "203.0.113.9")));

        ApiKey next = k.toBuilder().name("renamed").version(2)
                .usage(new Usage(999, now().plusSeconds(60), "198.51.100.1")).build();
        assertThat(store().replace(next, 1)).isTrue();

        ApiKey found = stored(k.id());
        assertThat(found.name()).isEqualTo("renamed");
        assertThat(found.usage()).isEqualTo(new Usage(5, now(), "203.0.113.9"));
    }

    @Test
    default void replace_importedIndexFollowsTheCredentials() {
        ApiKey k = Keys.key("imported", now()).current(Keys.imported("first-import-0004")).build();
        store().create(k);
        ApiKey swapped = k.toBuilder().current(Keys.imported("second-import-0005")).version(2).build();
        assertThat(store().replace(swapped, 1)).isTrue();

        assertThat(store().findByImportedHash(Keys.HASHER.hash("second-import-0005"))).contains(swapped);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("first-import-0004"))).isEmpty();
    }

    @Test
    default void delete_removesKeyTokensAndIndex_andLaterCallsAre404() {
        IssuedKey k = create("doomed");
        String id = k.key().id();
        IssuedKey imported = create(CreateKeyRequest.named("imported doomed").withToken("doomed-import-0006"));

        manager().delete(Actor.ROOT, id);
        assertThat(store().delete(imported.key().id())).isTrue();

        assertThat(store().find(id)).isEmpty();
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify("doomed-import-0006")).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("doomed-import-0006"))).isEmpty();
        assertThat(listAll(q -> q).total()).isZero();
        assertThat(store().delete(id)).isFalse();
        assertThat(reasonOf(() -> manager().get(Actor.ROOT, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().delete(Actor.ROOT, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().rotate(Actor.ROOT, id, false, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().setStatus(Actor.ROOT, id, "active", null, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
    }

    @Test
    default void delete_thenReplaceOrUsage_doesNotResurrectTheKey() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        assertThat(store().delete(k.id())).isTrue();

        assertThat(store().replace(k.toBuilder().version(2).build(), 1)).isFalse();
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 1, now(), null)));

        assertThat(store().find(k.id())).isEmpty();
        assertThat(listAll(q -> q).total()).isZero();
    }

    @Test
    default void delete_importedKey_freesItsTokenForReuse() {
        IssuedKey first = create(CreateKeyRequest.named("first").withToken("reusable-import-0007"));
        manager().delete(Actor.ROOT, first.key().id());

        IssuedKey second = create(CreateKeyRequest.named("second").withToken("reusable-import-0007"));

        assertThat(verifier().verify("reusable-import-0007", null).key()).extracting(ApiKey::id)
                .isEqualTo(second.key().id());
    }

    @Test
    default void jobs_saveFindAndOverwrite() {
        Job job = new Job(Ids.next(), Job.RESET_KEY, JobStatus.RUNNING, Ids.next(), "acme", now(), null, null);
        store().saveJob(job);
        assertThat(store().findJob(job.id())).contains(job);

        Job done = job.failed(now().plusSeconds(2), "the store could not commit the change");
        store().saveJob(done);
        assertThat(store().findJob(job.id())).contains(done);
        assertThat(store().findJob(Ids.next())).isEmpty();
    }

    @Test
    default void settings_initSetting_firstWriterWins() {
        assertThat(store().setting(KeyStore.HASHER_CHECK)).isNull();

        assertThat(store().initSetting(KeyStore.HASHER_CHECK, Keys.HASHER.checkValue()))
                .isEqualTo(Keys.HASHER.checkValue());
        assertThat(store().initSetting(KeyStore.HASHER_CHECK, "another")).isEqualTo(Keys.HASHER.checkValue());
        assertThat(store().setting(KeyStore.HASHER_CHECK)).isEqualTo(Keys.HASHER.checkValue());
        assertThat(store().setting(KeyStore.TOKEN_PREFIX)).isNull();
    }

    @Test
    default void imported_tokenVerifies_andDuplicateIsConflict() {
        IssuedKey k = create(CreateKeyRequest.named("imported").withToken("Imported+Token/Value=0008"));

        assertThat(k.token()).isEqualTo("Imported+Token/Value=0008");
        assertThat(k.key().hint()).isEqualTo("…0008");
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
        assertThat(reasonOf(() -> create(CreateKeyRequest.named("copy").withToken("Imported+Token/Value=0008"))))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(listAll(q -> q).total()).isEqualTo(1);
    }

    @Test
    default void imported_rotate_issuesGeneratedToken_andKeepsImportedInGrace() {
        IssuedKey k = create(CreateKeyRequest.named("imported").withToken("rotate-me-import-0009"));

        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);

        assertThat(Keys.CODEC.classify(r.token())).isEqualTo(TokenForm.GENERATED);
        assertThat(Keys.CODEC.keyIdOf(r.token())).isEqualTo(k.key().id());
        Verification old = verifier().verify("rotate-me-import-0009", null);
        assertThat(old.code()).isEqualTo(VerifyCode.VALID);
        assertThat(old.previousSecret()).isTrue();
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("rotate-me-import-0009"))).map(ApiKey::id)
                .contains(k.key().id());

        clock().advance(Duration.ofSeconds(HOUR));
        assertThat(verify("rotate-me-import-0009")).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    default void imported_forceRotate_dropsTheImportedTokenAndIndex() {
        IssuedKey k = create(CreateKeyRequest.named("imported").withToken("force-me-import-0010"));

        manager().rotate(Actor.ROOT, k.key().id(), true, null);

        assertThat(verify("force-me-import-0010")).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("force-me-import-0010"))).isEmpty();
    }
}
