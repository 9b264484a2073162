package dev.latchkey.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code If-Match} (RFC 9110) against the versions the admin service answers as {@code ETag: "<version>"}: the
 * one rule for keys and tenant defaults alike.
 */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * Returns the version a conditional change must find: {@code null} when there is no condition (no header, or
     * {@code *}); the one version named; with several, the current version when it is among them; else
     * {@code never}, a version that cannot match (so the change answers 412).
     *
     * @param current reads the current version, only when several tags are listed
     * @param never   a version the entity can never have
     */
    static @Nullable Long expectedVersion(@Nullable String header, LongSupplier current, long never) {
        if (header == null || header.isBlank()) {
            return null;
        }
        List<Long> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.equals("*")) {
                return null;
            }
            if (tag.length() >= 3 && tag.startsWith("\"") && tag.endsWith("\"")) {
                try {
                    candidates.add(Long.parseLong(tag.substring(1, tag.length() - 1)));
                } catch (NumberFormatException e) {
                    // an ETag we never issued: it cannot match
                }
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            return never;
        }
        long now = current.getAsLong();
        return candidates.contains(now) ? now : never;
    }
}
