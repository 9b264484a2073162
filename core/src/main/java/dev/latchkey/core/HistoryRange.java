package dev.latchkey.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated range of usage history (API.md §10, {@code GET /v1/keys/{id}/usage}): {@code from} rounded down and
 * {@code to} rounded up to the granularity (UTC), at most {@value #MAX_BUCKETS} buckets.
 *
 * @param from        the first bucket's start (aligned)
 * @param to          the end, exclusive (aligned)
 * @param granularity the bucket size
 */
public record HistoryRange(Instant from, Instant to, HistoryGranularity granularity) {

    /** The most buckets one query may ask for. */
    public static final int MAX_BUCKETS = 1_440;

    public HistoryRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(granularity, "granularity");
    }

    /**
     * Reads a query: {@code granularity} {@code minute} (default), {@code hour} or {@code day}; {@code to} defaults to
     * {@code now}, {@code from} to one hour, day or 30 days before {@code to}.
     *
     * @throws ValidationException for a bad time or granularity, {@code from} ≥ {@code to}, or more than
     *                             {@value #MAX_BUCKETS} buckets
     */
    public static HistoryRange parse(@Nullable String from, @Nullable String to, @Nullable String granularity,
            Instant now) {
        List<FieldError> errors = new ArrayList<>();
        HistoryGranularity g = granularity == null ? HistoryGranularity.MINUTE : HistoryGranularity.fromWire(granularity);
        if (g == null) {
            errors.add(new FieldError("granularity", "invalid", "must be minute, hour or day"));
        }
        Instant f = KeyRules.instant("from", from, errors);
        Instant t = KeyRules.instant("to", to, errors);
        KeyRules.throwIfAny(errors);
        HistoryGranularity gran = Objects.requireNonNull(g);
        Instant end = t == null ? now : t;
        Instant start = f == null ? end.minus(gran.defaultSpan()) : f;
        long s = gran.seconds();
        long first = Math.floorDiv(start.getEpochSecond(), s);
        long last = Math.floorDiv(end.getEpochSecond(), s) + (end.getEpochSecond() % s == 0 && end.getNano() == 0 ? 0 : 1);
        if (first >= last) {
            throw ValidationException.of("from", "range", "must be before to");
        }
        if (last - first > MAX_BUCKETS) {
            throw ValidationException.of("to", "range", "the range holds " + (last - first) + " " + gran.wire()
                    + " buckets; at most " + MAX_BUCKETS + " are answered");
        }
        return new HistoryRange(Instant.ofEpochSecond(first * s), Instant.ofEpochSecond(last * s), gran);
    }

    /** Returns every bucket of the range, oldest first: the given non-empty ones, zeros elsewhere. */
    public List<UsageBucket> series(List<UsageBucket> nonEmpty) {
        long s = granularity.seconds();
        long first = from.getEpochSecond() / s;
        long last = to.getEpochSecond() / s;
        List<UsageBucket> out = new ArrayList<>((int) (last - first));
        Iterator<UsageBucket> it = nonEmpty.stream().sorted(java.util.Comparator.comparing(UsageBucket::start))
                .iterator();
        UsageBucket next = it.hasNext() ? it.next() : null;
        for (long b = first; b < last; b++) {
            Instant start = Instant.ofEpochSecond(b * s);
            long v = 0;
            long d = 0;
            long r = 0;
            while (next != null && !next.start().isAfter(start)) {
                if (next.start().equals(start)) {
                    v += next.valid();
                    d += next.denied();
                    r += next.rateLimited();
                }
                next = it.hasNext() ? it.next() : null;
            }
            out.add(new UsageBucket(start, v, d, r));
        }
        return out;
    }
}
