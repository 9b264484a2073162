package dev.latchkey.bench;

import dev.latchkey.engine.AuthRequest;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The request the engine benchmarks and drivers hand in: {@code GET /reports/42} with a bearer token. */
final class BenchRequests {

    private BenchRequests() {
    }

    /** Returns {@code GET /reports/42} from {@code remoteAddress} carrying {@code token} as a bearer token. */
    static AuthRequest get(String token, String remoteAddress) {
        List<String> authorization = List.of("Bearer " + token);
        return new AuthRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String requestUri() {
                return "/reports/42";
            }

            @Override
            public Iterator<String> headers(String name) {
                return name.equalsIgnoreCase("Authorization") ? authorization.iterator()
                        : Collections.emptyIterator();
            }

            @Override
            public @Nullable String remoteAddress() {
                return remoteAddress;
            }
        };
    }
}
