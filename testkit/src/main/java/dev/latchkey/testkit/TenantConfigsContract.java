package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.Ids;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Page;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.WebhookEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The suite of webhook and storage configs (API.md §10) that every {@link KeyStore} whose
 * {@link KeyStore#supportsConfigs()} is true must pass, through the SPI ({@link dev.latchkey.core.TenantConfigs}):
 * round trips of every field (secrets and passwords included: the store keeps them, answers hide them), newest-first
 * listing per tenant and overall, compare-and-set replaces and deletes. A store test class implements it beside
 * {@link KeyStoreContract} and names its store.
 */
@Tag("contract")
public interface TenantConfigsContract {

    /** Returns the store under test, empty at the start of each test. */
    KeyStore configsStore();

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static WebhookConfig webhook(String tenant) {
        Instant now = now();
        return new WebhookConfig(Ids.next(), tenant, "https://hooks.example.com/latchkey",
                List.of(WebhookEvent.KEY_CREATED, WebhookEvent.KEY_DELETED), "ops channel", true, now, now,
                WebhookConfig.newSecret(), null, null, 1);
    }

    private static StorageConfig postgres(String tenant) {
        Instant now = now();
        return new StorageConfig(Ids.next(), tenant, StorageKind.POSTGRESQL, 90,
                "jdbc:postgresql://db.example.com:5432/history?user=lk&password=s3cret", "prod history", now, now, 1);
    }

    @Test
    default void webhookConfig_roundTripsEveryField_secretsIncluded() {
        WebhookConfig c = webhook("acme");
        configsStore().webhookConfigs().create(c);
        assertThat(configsStore().webhookConfigs().find(c.id())).contains(c);

        Instant later = c.updatedAt().plusSeconds(1);
        WebhookConfig rotated = c.withRotatedSecret(WebhookConfig.newSecret(), later, 2);
        assertThat(configsStore().webhookConfigs().replace(rotated, 1)).isTrue();
        WebhookConfig read = configsStore().webhookConfigs().find(c.id()).orElseThrow();
        assertThat(read).isEqualTo(rotated);
        assertThat(read.signingSecrets(later)).containsExactly(rotated.secret(), c.secret());
        assertThat(read.signingSecrets(later.plus(WebhookConfig.PREVIOUS_SECRET_GRACE))).containsExactly(
                rotated.secret());
    }

    @Test
    default void storageConfig_roundTripsEveryField_passwordKeptForTheConnection() {
        StorageConfig c = postgres("acme");
        configsStore().storageConfigs().create(c);
        assertThat(configsStore().storageConfigs().find(c.id())).contains(c);
        assertThat(c.displayJdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/history?user=lk");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    default void create_takenId_throwsDuplicate() {
        WebhookConfig c = webhook("acme");
        configsStore().webhookConfigs().create(c);
        assertThatThrownBy(() -> configsStore().webhookConfigs().create(c)).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    default void list_newestFirst_perTenantAndOverall_withTotals() {
        List<String> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StorageConfig c = postgres("acme");
            configsStore().storageConfigs().create(c);
            acme.add(0, c.id());
        }
        StorageConfig other = postgres("globex");
        configsStore().storageConfigs().create(other);

        Page<StorageConfig> page = configsStore().storageConfigs().list("acme", 1, 2);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.items()).extracting(StorageConfig::id).containsExactly(acme.get(1), acme.get(2));
        Page<StorageConfig> all = configsStore().storageConfigs().list(null, 0, 100);
        assertThat(all.total()).isEqualTo(6);
        assertThat(all.items().get(0).id()).isEqualTo(other.id());
        assertThat(configsStore().storageConfigs().list("nobody", 0, 20).items()).isEmpty();
        assertThat(configsStore().webhookConfigs().list(null, 0, 20).total()).isZero();
    }

    @Test
    default void replace_staleVersionOrGoneConfig_writesNothing() {
        WebhookConfig c = webhook("acme");
        configsStore().webhookConfigs().create(c);
        WebhookConfig v2 = c.withFields("https://other.example.com/", List.of(WebhookEvent.ALL), null, false,
                c.updatedAt().plusSeconds(1), 2);
        assertThat(configsStore().webhookConfigs().replace(v2, 1)).isTrue();
        WebhookConfig stale = c.withFields("https://stale.example.com/", List.of(WebhookEvent.ALL), null, true,
                c.updatedAt().plusSeconds(2), 2);
        assertThat(configsStore().webhookConfigs().replace(stale, 1)).isFalse();
        assertThat(configsStore().webhookConfigs().find(c.id())).contains(v2);

        WebhookConfig ghost = webhook("acme");
        assertThat(configsStore().webhookConfigs().replace(
                ghost.withFields(ghost.url(), ghost.events(), null, true, ghost.updatedAt(), 2), 1)).isFalse();
        assertThat(configsStore().webhookConfigs().find(ghost.id())).isEmpty();
    }

    @Test
    default void delete_removesFromReadsAndListings() {
        StorageConfig c = postgres("acme");
        configsStore().storageConfigs().create(c);
        assertThat(configsStore().storageConfigs().delete(c.id())).isTrue();
        assertThat(configsStore().storageConfigs().delete(c.id())).isFalse();
        assertThat(configsStore().storageConfigs().find(c.id())).isEmpty();
        assertThat(configsStore().storageConfigs().list("acme", 0, 20).total()).isZero();
    }
}
