package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.internal.LimitWindows;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Script-level checks of the Redis store's limit arithmetic: the Lua time functions every charge runs on Redis
 * {@code TIME} ({@code limits-time.lua}) answer exactly what core's {@link LimitWindows} does, at every month and
 * year boundary from 1970 to 2100 (leap years included) and at random instants, so the month-end tests that the
 * in-memory store runs on a test clock also hold for Redis, whose clock no test can move.
 */
@WithRedis
class LimitsScriptIT {

    private static final Script CHECK = Script.load("limits-time-check", "limits-time");

    private final RedisServer redis;

    LimitsScriptIT(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void luaTimeFunctions_agreeWithLimitWindows_atEveryMonthBoundaryAndRandomInstants() throws Exception {
        List<Long> instants = new ArrayList<>();
        for (LocalDate d = LocalDate.of(1970, 2, 1); d.getYear() <= 2100; d = d.plusMonths(1)) {
            long t = d.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            instants.add(t - 1);
            instants.add(t);
            instants.add(t + 86_399);
        }
        Random random = new Random(13);
        for (int i = 0; i < 2_000; i++) {
            instants.add((long) random.nextInt(Integer.MAX_VALUE) * 2);
        }
        RedisClient client = RedisClient.create(RedisURI.create(redis.uri()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (int from = 0; from < instants.size(); from += 500) {
                List<Long> batch = instants.subList(from, Math.min(instants.size(), from + 500));
                List<Object> answer = CHECK.<List<Object>>run(c.async(), ScriptOutputType.MULTI, new String[0],
                        batch.stream().map(String::valueOf).toArray(String[]::new)).get(10, TimeUnit.SECONDS);
                for (int i = 0; i < batch.size(); i++) {
                    long t = batch.get(i);
                    String at = Instant.ofEpochSecond(t).toString();
                    assertThat(answer.subList(i * 5, i * 5 + 5)).as(at).containsExactly(
                            Long.toString(LimitWindows.periodStart(t, QuotaPeriod.DAY)),
                            Long.toString(LimitWindows.nextPeriodStart(t, QuotaPeriod.DAY)),
                            Long.toString(LimitWindows.periodStart(t, QuotaPeriod.MONTH)),
                            Long.toString(LimitWindows.nextPeriodStart(t, QuotaPeriod.MONTH)),
                            Long.toString(LimitWindows.secondsUntil(Instant.ofEpochMilli(t * 1_000 + 1),
                                    LimitWindows.nextPeriodStart(t, QuotaPeriod.MONTH))));
                }
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void chargeVerdict_decodes_everyFieldOfTheScriptsAnswer() {
        var r = Limits.decodeVerdict("Q|17|3|42|1764806460|0|1764806400|1|0|1764806383|250000|4",
                new RateLimit(10, 60), new dev.latchkey.core.Quota(5, QuotaPeriod.DAY));

        assertThat(r.verdict()).isEqualTo(dev.latchkey.core.ChargeResult.Verdict.QUOTA_EXCEEDED);
        assertThat(r.retryAfterSeconds()).isEqualTo(17);
        assertThat(r.rate()).isEqualTo(new dev.latchkey.core.ChargeResult.RateWindow(10, 3, 42, 1764806460));
        assertThat(r.quota().remaining()).isZero();
        assertThat(r.quota().refillsAt()).isEqualTo(Instant.ofEpochSecond(1764806400));
        assertThat(r.quota().sequence()).isEqualTo(4);
        assertThat(r.spentLast()).isTrue();
        assertThat(r.refilled()).isFalse();
        assertThat(r.storeTime()).isEqualTo(Instant.ofEpochSecond(1764806383, 250_000_000));
    }
}
