package dev.latchkey.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Requests as a door would hand them to the engine, for the engine's tests. */
final class AuthenticatorTestRequests {

    private AuthenticatorTestRequests() {
    }

    /** A request with a method, a path, a peer address and headers. */
    static final class Req implements AuthRequest {
        final String method;
        final String uri;
        final String remote;
        final Map<String, List<String>> headers = new LinkedHashMap<>();

        Req(String method, String uri, String remote) {
            this.method = method;
            this.uri = uri;
            this.remote = remote;
        }

        Req header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String requestUri() {
            return uri;
        }

        @Override
        public Iterator<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).iterator();
        }

        @Override
        public @Nullable String remoteAddress() {
            return remote;
        }
    }

    /** Returns {@code GET uri} from 203.0.113.7 with a bearer token, or none when {@code token} is null. */
    static Req get(String uri, @Nullable String token) {
        Req r = new Req("GET", uri, "203.0.113.7");
        return token == null ? r : r.header("Authorization", "Bearer " + token);
    }
}
