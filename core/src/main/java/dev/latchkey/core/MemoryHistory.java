package dev.latchkey.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One key's usage history in {@link InMemoryKeyStore}: minute, hour and day buckets, bounded. Day and hour buckets are
 * kept for the key's retention; minute buckets for at most {@value #MINUTES_KEPT} minutes (two days), so a busy key
 * costs at most a few hundred kilobytes. Not thread-safe: the store calls it under the key's lock.
 */
final class MemoryHistory {

    static final int MINUTES_KEPT = 2_880;

    private final TreeMap<Long, long[]> minutes = new TreeMap<>();
    private final TreeMap<Long, long[]> hours = new TreeMap<>();
    private final TreeMap<Long, long[]> days = new TreeMap<>();

    /** Adds one minute's counts to the three levels and drops what is past retention. */
    void add(UsageMinute m, int retentionDays) {
        long minute = m.minute();
        bump(minutes, minute, m);
        bump(hours, Math.floorDiv(minute, 60), m);
        bump(days, Math.floorDiv(minute, 1_440), m);
        long newestMinute = minutes.lastKey();
        minutes.headMap(newestMinute - Math.min(MINUTES_KEPT, retentionDays * 1_440L)).clear();
        hours.headMap(hours.lastKey() - retentionDays * 24L).clear();
        days.headMap(days.lastKey() - retentionDays).clear();
    }

    private static void bump(TreeMap<Long, long[]> level, long bucket, UsageMinute m) {
        long[] n = level.computeIfAbsent(bucket, b -> new long[3]);
        n[0] += m.valid();
        n[1] += m.denied();
        n[2] += m.rateLimited();
    }

    /** Returns the non-empty buckets with {@code from} ≤ start &lt; {@code to}, oldest first. */
    List<UsageBucket> read(Instant from, Instant to, HistoryGranularity g) {
        TreeMap<Long, long[]> level = switch (g) {
            case MINUTE -> minutes;
            case HOUR -> hours;
            case DAY -> days;
        };
        long seconds = g.seconds();
        long first = Math.floorDiv(from.getEpochSecond(), seconds);
        long end = Math.floorDiv(to.getEpochSecond() + seconds - 1, seconds);
        List<UsageBucket> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : level.subMap(first, end).entrySet()) {
            long[] n = e.getValue();
            out.add(new UsageBucket(Instant.ofEpochSecond(e.getKey() * seconds), n[0], n[1], n[2]));
        }
        return out;
    }
}
