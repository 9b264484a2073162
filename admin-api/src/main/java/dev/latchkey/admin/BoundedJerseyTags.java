package dev.latchkey.admin;

import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.micrometer.server.DefaultJerseyTagsProvider;
import org.glassfish.jersey.micrometer.server.JerseyTagsProvider;
import org.glassfish.jersey.server.monitoring.RequestEvent;

/**
 * Jersey's default HTTP server tags with the {@code method} tag bounded: a request with a made-up method
 * ({@code FOO}) is tagged {@code UNKNOWN}, so a client cannot grow the metric's cardinality at will.
 */
final class BoundedJerseyTags implements JerseyTagsProvider {

    private static final Set<String> KNOWN = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Tag UNKNOWN = Tag.of("method", "UNKNOWN");

    private final JerseyTagsProvider delegate = new DefaultJerseyTagsProvider();

    @Override
    public Iterable<Tag> httpRequestTags(RequestEvent event) {
        return bound(delegate.httpRequestTags(event));
    }

    @Override
    public Iterable<Tag> httpLongRequestTags(RequestEvent event) {
        return bound(delegate.httpLongRequestTags(event));
    }

    private static Iterable<Tag> bound(Iterable<Tag> tags) {
        List<Tag> out = new ArrayList<>();
        for (Tag t : tags) {
            out.add("method".equals(t.getKey()) && !KNOWN.contains(t.getValue()) ? UNKNOWN : t);
        }
        return out;
    }
}
