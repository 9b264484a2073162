package dev.latchkey.samples.demo;

import dev.latchkey.engine.ApiKeyPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The demo's reports, kept in memory per tenant: each tenant sees only the reports its keys wrote. Thread-safe.
 */
public final class ReportBook {

    /** The longest report title. */
    public static final int MAX_TITLE = 100;

    private record Report(long id, String tenantId, String title, String createdBy, Instant createdAt) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("title", title);
            m.put("tenant_id", tenantId);
            m.put("created_by", createdBy);
            m.put("created_at", createdAt.toString());
            return m;
        }
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    /** Creates an empty book on the system clock. */
    public ReportBook() {
        this(Clock.systemUTC());
    }

    /** Creates an empty book on a clock. */
    public ReportBook(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns the {@code GET /reports} body: {@code {"tenant_id":…,"reports":[…]}} for the caller's tenant. */
    public Map<String, Object> list(ApiKeyPrincipal caller) {
        List<Map<String, Object>> mine = new ArrayList<>();
        for (Report r : reports) {
            if (r.tenantId().equals(caller.tenantId())) {
                mine.add(r.toMap());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", caller.tenantId());
        body.put("reports", mine);
        return body;
    }

    /**
     * Adds a report for the caller's tenant and returns it ({@code POST /reports} body).
     *
     * @param title the title, or {@code null} for a default one
     * @throws IllegalArgumentException when the title is blank or longer than {@value #MAX_TITLE} characters
     */
    public Map<String, Object> add(ApiKeyPrincipal caller, @Nullable String title) {
        String t = title == null ? "Untitled report" : title.strip();
        if (t.isEmpty() || t.length() > MAX_TITLE) {
            throw new IllegalArgumentException("title must be 1 to " + MAX_TITLE + " characters");
        }
        Report r = new Report(ids.incrementAndGet(), caller.tenantId(), t, caller.keyId(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        reports.add(r);
        return r.toMap();
    }
}
