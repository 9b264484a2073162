package dev.latchkey.admin.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as Standard Webhooks says: {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">} keyed with
 * the base64-decoded part of the secret after {@code whsec_}; with several secrets (during a rotation window), one
 * signature per secret, space-separated. Thread-safe (stateless).
 */
public final class WebhookSigner {

    /** The prefix of every webhook secret. */
    public static final String SECRET_PREFIX = "whsec_";

    private WebhookSigner() {
    }

    /**
     * Returns the {@code webhook-signature} header value.
     *
     * @param id        the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp} (Unix seconds)
     * @param body      the exact body sent
     * @param secrets   one or more {@code whsec_…} secrets, newest first
     * @throws IllegalArgumentException when there is no secret or one is not {@code whsec_} plus base64
     */
    public static String signature(String id, long timestamp, String body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs at least one secret");
        }
        byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        StringJoiner out = new StringJoiner(" ");
        for (String secret : secrets) {
            out.add("v1," + Base64.getEncoder().encodeToString(hmac(key(secret), content)));
        }
        return out.toString();
    }

    private static byte[] key(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }
}
