package dev.latchkey.core;

import java.util.Objects;

/**
 * One key's counts in one UTC minute, as a usage batch carries them to the store (added to what the store has).
 *
 * @param keyId       the key
 * @param minute      the minute, as minutes since the Unix epoch
 * @param valid       uses
 * @param denied      refusals after the secret was proved
 * @param rateLimited limit refusals
 */
public record UsageMinute(String keyId, long minute, long valid, long denied, long rateLimited) {

    public UsageMinute {
        Objects.requireNonNull(keyId, "keyId");
        if (valid < 0 || denied < 0 || rateLimited < 0 || valid + denied + rateLimited == 0) {
            throw new IllegalArgumentException("a usage minute counts at least one request and nothing negative");
        }
    }
}
