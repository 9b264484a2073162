package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Environment;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.ListKeysRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store contract, topic by topic. Listing: newest first, exact totals, pages, filters (effective status included).
 * Part of {@link KeyStoreContract}, which every store's test extends.
 */
@Tag("contract")
public interface ListingContract extends StoreFixture {

    @Test
    default void list_isNewestFirst_withExactTotal() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create("key " + i).key().id());
            clock().advance(Duration.ofSeconds(1));
        }

        Page<ApiKey> page = listAll(a -> a);

        java.util.Collections.reverse(created);
        assertThat(ids(page)).containsExactlyElementsOf(created);
        assertThat(page.total()).isEqualTo(5);
    }

    @Test
    default void list_pages_withOffsetLimitAndTotal() {
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            newestFirst.add(0, create("key " + i).key().id());
            clock().advance(Duration.ofMillis(10));
        }

        Page<ApiKey> first = store().list(KeyQuery.clamped(null, null, null, null, 0, 3, now()));
        Page<ApiKey> second = store().list(KeyQuery.clamped(null, null, null, null, 3, 3, now()));
        Page<ApiKey> last = store().list(KeyQuery.clamped(null, null, null, null, 6, 3, now()));
        Page<ApiKey> beyond = store().list(KeyQuery.clamped(null, null, null, null, 10, 3, now()));

        assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(3, 6));
        assertThat(ids(last)).containsExactlyElementsOf(newestFirst.subList(6, 7));
        assertThat(beyond.items()).isEmpty();
        assertThat(List.of(first.total(), second.total(), last.total(), beyond.total())).containsOnly(7L);
        assertThat(second.offset()).isEqualTo(3);
        assertThat(second.limit()).isEqualTo(3);
    }

    @Test
    default void list_throughManager_clampsOffsetAndLimit() {
        for (int i = 0; i < 25; i++) {
            create("key " + i);
            clock().advance(Duration.ofMillis(1));
        }

        Page<ApiKey> defaults = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, -5, 0));
        assertThat(defaults.items()).hasSize(KeyQuery.DEFAULT_LIMIT);
        assertThat(defaults.offset()).isZero();
        assertThat(defaults.limit()).isEqualTo(20);
        assertThat(defaults.total()).isEqualTo(25);

        Page<ApiKey> huge = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 0, 1_000_000));
        assertThat(huge.items()).hasSize(25);
        assertThat(huge.limit()).isEqualTo(KeyQuery.MAX_LIMIT);

        Page<ApiKey> tail = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 23, 500));
        assertThat(tail.items()).hasSize(2);
        assertThat(tail.total()).isEqualTo(25);

        Page<ApiKey> negativeLimit = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 0, -1));
        assertThat(negativeLimit.limit()).isEqualTo(20);
    }

    @Test
    default void list_filtersByTenantTypeAndEnvironment() {
        String a = create(CreateKeyRequest.named("a").withTenant("acme")).key().id();
        String b = create(CreateKeyRequest.named("b").withTenant("acme").withType("trial")).key().id();
        String c = create(CreateKeyRequest.named("c").withTenant("globex").withEnvironment("test")).key().id();
        String d = create(CreateKeyRequest.named("d").withEnvironment("test").withType("trial")).key().id();

        assertThat(ids(listAll(q -> q.tenant("acme")))).containsExactlyInAnyOrder(a, b);
        assertThat(ids(listAll(q -> q.tenant("globex")))).containsExactly(c);
        assertThat(ids(listAll(q -> q.tenant("default")))).containsExactly(d);
        assertThat(ids(listAll(q -> q.tenant("nobody")))).isEmpty();
        assertThat(ids(listAll(q -> q.type(KeyType.TRIAL)))).containsExactlyInAnyOrder(b, d);
        assertThat(ids(listAll(q -> q.type(KeyType.STANDARD)))).containsExactlyInAnyOrder(a, c);
        assertThat(ids(listAll(q -> q.env(Environment.TEST)))).containsExactlyInAnyOrder(c, d);
        assertThat(ids(listAll(q -> q.env(Environment.LIVE)))).containsExactlyInAnyOrder(a, b);
        assertThat(ids(listAll(q -> q.tenant("acme").type(KeyType.TRIAL).env(Environment.LIVE)))).containsExactly(b);
        assertThat(listAll(q -> q.env(Environment.TEST)).total()).isEqualTo(2);
    }

    @Test
    default void list_filtersByEffectiveStatus_includingExpired() {
        Instant soon = now().plus(Duration.ofHours(1));
        String active = create("active").key().id();
        String inactive = create("inactive").key().id();
        manager().setStatus(Actor.ROOT, inactive, "inactive", null, null);
        String blocked = create("blocked").key().id();
        manager().setStatus(Actor.ROOT, blocked, "blocked", null, null);
        String expired = create(CreateKeyRequest.named("expired").withExpiresAt(at(soon))).key().id();
        String blockedExpired = create(CreateKeyRequest.named("blocked expired").withExpiresAt(at(soon))).key().id();
        manager().setStatus(Actor.ROOT, blockedExpired, "blocked", null, null);
        String laterExpiry = create(CreateKeyRequest.named("later")
                .withExpiresAt(at(now().plus(Duration.ofDays(1))))).key().id();

        assertThat(ids(listAll(q -> q.status(KeyStatus.EXPIRED)))).isEmpty();
        clock().advance(Duration.ofHours(2));

        assertThat(ids(listAll(q -> q.status(KeyStatus.ACTIVE)))).containsExactlyInAnyOrder(active, laterExpiry);
        assertThat(ids(listAll(q -> q.status(KeyStatus.INACTIVE)))).containsExactly(inactive);
        assertThat(ids(listAll(q -> q.status(KeyStatus.BLOCKED)))).containsExactlyInAnyOrder(blocked, blockedExpired);
        assertThat(ids(listAll(q -> q.status(KeyStatus.EXPIRED)))).containsExactly(expired);
        assertThat(listAll(q -> q.status(KeyStatus.EXPIRED)).total()).isEqualTo(1);
        assertThat(listAll(q -> q).total()).isEqualTo(6);
    }
}
