package dev.latchkey.admin;

import dev.latchkey.core.admin.Actor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The audit trail: one structured line per committed mutation on the logger {@value #LOGGER}, naming who (root or
 * the admin key's id), what, which key and the request id. Never a token, a hash or a body.
 */
final class Audit {

    static final String LOGGER = "dev.latchkey.admin.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private Audit() {
    }

    static void log(Actor actor, String action, String keyId, @Nullable String detail) {
        String requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (detail == null) {
            LOG.info("audit action={} actor={} key_id={} request_id={}", action, actor.name(), keyId, requestId);
        } else {
            LOG.info("audit action={} actor={} key_id={} request_id={} {}", action, actor.name(), keyId, requestId,
                    detail);
        }
    }
}
