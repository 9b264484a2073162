package dev.latchkey.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Standard Webhooks verifier written from the specification, independent of the service's signer: the signed
 * content is {@code id.timestamp.body}; the key is the base64-decoded secret after {@code whsec_}; the header holds
 * space-separated {@code v1,<base64>} signatures, any one of which may match; the timestamp must be within five
 * minutes of now.
 */
final class SpecVerifier {

    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private SpecVerifier() {
    }

    /** Returns whether the request is signed with {@code secret}. */
    static boolean accepts(String secret, String id, String timestamp, String signatures, String body) {
        long ts = Long.parseLong(timestamp);
        if (Math.abs(Instant.now().getEpochSecond() - ts) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String sig : signatures.split(" ")) {
            int comma = sig.indexOf(',');
            if (comma > 0 && sig.substring(0, comma).equals("v1")) {
                byte[] given = Base64.getDecoder().decode(sig.substring(comma + 1));
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }
}
