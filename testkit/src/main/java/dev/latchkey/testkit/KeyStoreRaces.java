package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.Credential;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The concurrency checker of #21: writer threads create, rotate (with grace and forced), toggle, reset and delete
 * the same few keys and some others, while reader threads verify every token issued so far. Every call is recorded
 * with its outcome and its start and end on one clock; afterwards the history is checked against the serial order
 * the store's versions give:
 *
 * <ul>
 *   <li>no lost update: a key's final version is 1 plus its successful changes, and no two changes got one version;</li>
 *   <li>the final status is the one the last toggle (by version) set, and every toggle's answer shows the status
 *       of the last toggle at or before its version;</li>
 *   <li>the final current secret is the one issued by the last rotation or reset (by version), the previous one is
 *       what a graceful last rotation keeps, and at most two of a key's secrets verify;</li>
 *   <li>a deleted key stays deleted, once: no token of it verifies, and no verification that started after the
 *       delete returned finds it;</li>
 *   <li>a verification only ever answers the key its token belongs to;</li>
 *   <li>the listing (all keys) and the imported-token index agree with the records.</li>
 * </ul>
 *
 * A store's own index walker (the Redis module's) adds what only it can see. Every loop is bounded.
 */
public final class KeyStoreRaces {

    /** How much to run: threads and operations per thread. */
    public record Load(int writers, int readers, int opsPerWriter, int verifiesPerReader, long seed) {
    }

    private enum Op { CREATE, ROTATE, FORCE_ROTATE, TOGGLE, RESET, DELETE }

    /** One finished call: what, on which key, whether it took effect, and what it answered. */
    private record Event(Op op, String keyId, boolean ok, long start, long end, ApiKey after, String token,
            KeyStatus target) {
    }

    private record Read(String token, long start, long end, String foundKeyId) {
    }

    private final KeyStore store;
    private final KeyManager manager;
    private final Verifier verifier;
    /** Token to the keys it was issued to (an imported value can be reused once its key let it go). */
    private final Map<String, Set<String>> owners = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final List<String> keyIds = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    private final Set<String> importedValues = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Runs on {@code store} with the system clock (grace windows of an hour outlast the run). */
    public KeyStoreRaces(KeyStore store) {
        this.store = store;
        this.manager = new KeyManager(store, Keys.CODEC, Keys.HASHER, Clock.systemUTC(), Runnable::run);
        this.verifier = new Verifier(KeyResolver.direct(store), Keys.CODEC, Keys.HASHER, Clock.systemUTC(),
                UsageSink.NONE);
    }

    /** Runs the load, then checks the history; returns the ids of the keys that survive. */
    public Set<String> runAndCheck(Load load) throws Exception {
        for (int i = 0; i < 6; i++) {
            create(new SplittableRandom(load.seed() + i), i % 2 == 0);
        }
        int threads = load.writers() + load.readers();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < load.writers(); w++) {
                SplittableRandom random = new SplittableRandom(load.seed() * 31 + w);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < load.opsPerWriter(); i++) {
                        write(random);
                    }
                    return null;
                }));
            }
            for (int r = 0; r < load.readers(); r++) {
                SplittableRandom random = new SplittableRandom(load.seed() * 37 + r);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < load.verifiesPerReader(); i++) {
                        read(random);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).as("calls that failed other than 404/409").isEmpty();
        return check();
    }

    private String pick(SplittableRandom random) {
        // Most changes go to the first three keys, so they contend; the rest spread over every key.
        int n = keyIds.size();
        return keyIds.get(random.nextInt(10) < 6 ? random.nextInt(Math.min(3, n)) : random.nextInt(n));
    }

    private void create(SplittableRandom random, boolean imported) {
        String value = imported ? "race-import-" + random.nextInt(4) + "-value" : null;
        long t0 = System.nanoTime();
        try {
            IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("race")
                    .withTenant(random.nextBoolean() ? "race-a" : "race-b").withToken(value));
            long t1 = System.nanoTime();
            if (value != null) {
                importedValues.add(value);
            }
            issued(k.token(), k.key().id());
            keyIds.add(k.key().id());
            events.add(new Event(Op.CREATE, k.key().id(), true, t0, t1, k.key(), k.token(), null));
        } catch (DuplicateKeyException | OperationException e) {
            // another key holds this imported value: refusing it is right
        } catch (RuntimeException e) {
            unexpected.add(e);
        }
    }

    private void write(SplittableRandom random) {
        int dice = random.nextInt(100);
        Op op = dice < 6 ? Op.CREATE : dice < 36 ? Op.ROTATE : dice < 46 ? Op.FORCE_ROTATE : dice < 81 ? Op.TOGGLE
                : dice < 97 ? Op.RESET : Op.DELETE;
        if (op == Op.CREATE) {
            create(random, random.nextBoolean());
            return;
        }
        String id = pick(random);
        KeyStatus target = random.nextBoolean() ? KeyStatus.ACTIVE : KeyStatus.INACTIVE;
        long t0 = System.nanoTime();
        try {
            ApiKey after = null;
            String token = null;
            switch (op) {
                case ROTATE, FORCE_ROTATE -> {
                    IssuedKey k = manager.rotate(Actor.ROOT, id, op == Op.FORCE_ROTATE, op == Op.ROTATE ? 3_600L : null);
                    after = k.key();
                    token = k.token();
                }
                case RESET -> token = manager.reset(Actor.ROOT, id).token();
                case TOGGLE -> after = manager.setStatus(Actor.ROOT, id, target.wire(), null, null);
                default -> manager.delete(Actor.ROOT, id);
            }
            if (token != null) {
                issued(token, id);
            }
            events.add(new Event(op, id, true, t0, System.nanoTime(), after, token, target));
        } catch (OperationException e) {
            if (e.reason() != OperationException.Reason.NOT_FOUND && e.reason() != OperationException.Reason.CONFLICT) {
                unexpected.add(e);
            }
        } catch (RuntimeException e) {
            unexpected.add(e);
        }
    }

    private void issued(String token, String id) {
        owners.computeIfAbsent(token, t -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(id);
        tokens.add(token);
    }

    private boolean findsKey(String token, String id) {
        ApiKey found = verifier.verify(token, null).key();
        return found != null && found.id().equals(id);
    }

    private void read(SplittableRandom random) {
        String token = tokens.get(random.nextInt(tokens.size()));
        long t0 = System.nanoTime();
        try {
            Verification v = verifier.verify(token, null);
            reads.add(new Read(token, t0, System.nanoTime(),
                    v.key() == null ? null : v.key().id()));
        } catch (RuntimeException e) {
            unexpected.add(e);
        }
    }

    // ------------------------------------------------------------------ the checks

    private Set<String> check() {
        Map<String, List<Event>> byKey = new HashMap<>();
        for (Event e : events) {
            byKey.computeIfAbsent(e.keyId(), k -> new ArrayList<>()).add(e);
        }
        Set<String> survivors = new HashSet<>();
        for (Map.Entry<String, List<Event>> e : byKey.entrySet()) {
            if (checkKey(e.getKey(), e.getValue())) {
                survivors.add(e.getKey());
            }
        }
        for (Read r : reads) {
            if (r.foundKeyId() != null) {
                assertThat(owners.get(r.token())).as("a verification answers only its token's key")
                        .contains(r.foundKeyId());
            }
        }
        List<ApiKey> listed = store.list(new KeyQuery(null, null, null, null, 0, KeyQuery.MAX_LIMIT, Instant.now()))
                .items();
        Set<String> listedIds = new HashSet<>();
        listed.forEach(k -> listedIds.add(k.id()));
        assertThat(listedIds).as("the listing holds exactly the surviving keys").isEqualTo(survivors);
        for (String value : importedValues) {
            Optional<ApiKey> holder = store.findByImportedHash(Keys.HASHER.hash(value));
            List<String> holding = new ArrayList<>();
            for (String id : survivors) {
                ApiKey k = store.find(id).orElseThrow();
                if (holds(k.current(), value) || (holds(k.previous(), value) && k.previousExpiresAt() != null
                        && k.previousExpiresAt().isAfter(Instant.now()))) {
                    holding.add(id);
                }
            }
            assertThat(holding).as("keys holding imported value " + value).hasSizeLessThanOrEqualTo(1);
            assertThat(holder.map(ApiKey::id).stream().toList()).as("imported index of " + value)
                    .isEqualTo(holding);
        }
        return survivors;
    }

    private static boolean holds(Credential c, String token) {
        return c != null && c.hash().matches(Keys.HASHER.hash(token));
    }

    /** Checks one key's history; returns whether the key survives. */
    private boolean checkKey(String id, List<Event> history) {
        List<Event> ok = history.stream().filter(Event::ok).toList();
        List<Event> deletes = ok.stream().filter(e -> e.op() == Op.DELETE).toList();
        List<String> keyTokens = owners.entrySet().stream().filter(e -> e.getValue().contains(id))
                .map(Map.Entry::getKey).toList();
        Optional<ApiKey> stored = store.find(id);
        if (!deletes.isEmpty()) {
            assertThat(deletes).as("one delete of " + id + " succeeds").hasSize(1);
            assertThat(stored).as(id + " stays deleted").isEmpty();
            long deletedAt = deletes.get(0).end();
            for (String t : keyTokens) {
                assertThat(findsKey(t, id)).as("a token of deleted " + id).isFalse();
            }
            for (Read r : reads) {
                if (r.start() > deletedAt) {
                    assertThat(r.foundKeyId()).as("a verification that started after the delete of " + id)
                            .isNotEqualTo(id);
                }
            }
            return false;
        }
        ApiKey last = stored.orElseThrow(() -> new AssertionError(id + " vanished without a delete"));
        List<Event> changes = ok.stream().filter(e -> e.op() != Op.CREATE).toList();
        assertThat(last.version()).as("no lost update on " + id).isEqualTo(1L + changes.size());

        Map<Long, Event> known = new HashMap<>();
        for (Event e : changes) {
            if (e.after() != null) {
                assertThat(known.put(e.after().version(), e)).as("two changes of " + id + " got one version").isNull();
            }
        }
        Event create = ok.stream().filter(e -> e.op() == Op.CREATE).findFirst().orElseThrow();
        known.put(1L, create);
        List<Long> resetSlots = new ArrayList<>();
        for (long v = 2; v <= last.version(); v++) {
            if (!known.containsKey(v)) {
                resetSlots.add(v);
            }
        }
        assertThat(resetSlots).as("versions left for the resets of " + id)
                .hasSize((int) changes.stream().filter(e -> e.op() == Op.RESET).count());

        // Status: every answer shows the last toggle at or before it; the record shows the last one.
        KeyStatus status = KeyStatus.ACTIVE;
        Credential current = create.after().current();
        for (long v = 2; v <= last.version(); v++) {
            Event e = known.get(v);
            if (e == null) {
                current = null; // a reset: its secret is one of the reset tokens, checked below
                continue;
            }
            if (e.op() == Op.TOGGLE) {
                status = e.target();
                if (current != null) {
                    assertThat(e.after().current()).as(id + " v" + v + ": a toggle keeps the secret").isEqualTo(current);
                }
            } else {
                Credential before = current;
                assertThat(holds(e.after().current(), e.token())).as(id + " v" + v + ": the rotation's secret").isTrue();
                if (e.op() == Op.FORCE_ROTATE) {
                    assertThat(e.after().previous()).as(id + " v" + v + ": forced, no previous").isNull();
                } else if (before != null) {
                    assertThat(e.after().previous()).as(id + " v" + v + ": grace keeps the one before").isEqualTo(before);
                }
            }
            assertThat(e.after().storedStatus()).as(id + " v" + v + ": status of the last toggle").isEqualTo(status);
            current = e.after().current();
        }
        assertThat(last.storedStatus()).as(id + ": final status").isEqualTo(status);
        long lastKnownCredentialChange = known.entrySet().stream()
                .filter(e -> e.getValue().op() != Op.TOGGLE).mapToLong(Map.Entry::getKey).max().orElse(1);
        long lastReset = resetSlots.isEmpty() ? 0 : resetSlots.get(resetSlots.size() - 1);
        List<String> currentHolders = keyTokens.stream().filter(t -> holds(last.current(), t)).toList();
        assertThat(currentHolders).as(id + ": exactly one issued token is current").hasSize(1);
        String currentToken = currentHolders.get(0);
        if (lastReset > lastKnownCredentialChange) {
            assertThat(ok.stream().anyMatch(e -> e.op() == Op.RESET && currentToken.equals(e.token())))
                    .as(id + ": the last change of secret was a reset").isTrue();
            assertThat(last.previous()).isNull();
        } else {
            assertThat(currentToken).as(id + ": the last change of secret").isEqualTo(known.get(lastKnownCredentialChange)
                    .token());
            assertThat(last.previous()).isEqualTo(known.get(lastKnownCredentialChange).after().previous());
        }
        long valid = keyTokens.stream().filter(t -> findsKey(t, id)).count();
        assertThat(valid).as(id + ": secrets that verify").isBetween(1L, 2L);
        return true;
    }
}
