package dev.latchkey.admin;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.message.internal.AcceptableMediaType;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.RuntimeResource;

/**
 * Completes Jersey's content negotiation where it departs from RFC 9110 §12.5.1, for methods that declare what they
 * produce (a method without {@code @Produces}, such as {@code /metrics}, answers one type whatever is asked):
 *
 * <ul>
 *   <li>a type the client refuses with {@code q=0} is not acceptable: when every type the method produces is weighed
 *       0 by the most specific media range that matches it, the answer is 406 {@code not_acceptable}, before
 *       authentication and before the method runs (Jersey picked the type anyway);</li>
 *   <li>the answer's {@code Content-Type} is the type the method declares, never one with parameters copied from the
 *       {@code Accept} header ({@code Accept: application/json;version=2} is answered {@code application/json});</li>
 *   <li>a 406 names what the resource really serves ({@link #served}).</li>
 * </ul>
 *
 * Parameters other than {@code q} in {@code Accept} never make a range miss, as in Jersey's own matching.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100) // 406 does not depend on who asks (docs/DECISIONS.md)
final class Negotiation implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        List<MediaType> produced = produced(request.getUriInfo());
        if (produced.isEmpty() || !(request instanceof ContainerRequest jersey)) {
            return;
        }
        List<AcceptableMediaType> accepted = jersey.getQualifiedAcceptableMediaTypes();
        for (MediaType type : produced) {
            if (quality(type, accepted) > 0) {
                return;
            }
        }
        throw notAcceptable(produced);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MediaType answered = response.getMediaType();
        if (answered == null || answered.getParameters().isEmpty()) {
            return;
        }
        for (MediaType type : produced(request.getUriInfo())) {
            if (sameType(type, answered) && !type.getParameters().equals(answered.getParameters())) {
                response.getHeaders().putSingle("Content-Type", type);
                return;
            }
        }
    }

    /** Returns the 406 of a resource that produces {@code produced}, naming those types. */
    static ApiException notAcceptable(List<MediaType> produced) {
        Set<String> names = new LinkedHashSet<>();
        for (MediaType type : produced) {
            names.add(type.getType() + "/" + type.getSubtype());
        }
        String served = names.isEmpty() ? "application/json" : String.join(" or ", names);
        return new ApiException(406, "not_acceptable", "this resource answers " + served
                + "; send an Accept header that allows it");
    }

    /**
     * Returns the types the resource methods at the request's path produce for its HTTP method (for a 406 that Jersey
     * raised before a method was chosen), or an empty list when none declares one.
     */
    static List<MediaType> served(ExtendedUriInfo info, String method) {
        if (info.getMatchedRuntimeResources().isEmpty()) {
            return List.of();
        }
        String wanted = HttpMethod.HEAD.equals(method) ? HttpMethod.GET : method;
        RuntimeResource resource = info.getMatchedRuntimeResources().get(0);
        List<MediaType> types = new ArrayList<>();
        for (ResourceMethod m : resource.getResourceMethods()) {
            if (wanted.equals(m.getHttpMethod())) {
                m.getProducedTypes().stream().filter(t -> !t.isWildcardType() && !t.isWildcardSubtype())
                        .forEach(types::add);
            }
        }
        return types;
    }

    /** Returns the concrete types the matched method produces; empty when it declares none or a wildcard. */
    private static List<MediaType> produced(UriInfo uriInfo) {
        if (!(uriInfo instanceof ExtendedUriInfo info)) {
            return List.of();
        }
        ResourceMethod method = info.getMatchedResourceMethod();
        if (method == null) {
            return List.of();
        }
        List<MediaType> types = method.getProducedTypes();
        for (MediaType t : types) {
            if (t.isWildcardType() || t.isWildcardSubtype()) {
                return List.of();
            }
        }
        return types;
    }

    /**
     * Returns the weight (0 to 1000) the client gives {@code type}: that of the most specific range matching it
     * ({@code type/subtype} over {@code type/*} over {@code *}{@code /*}), the highest when several are as specific;
     * 0 when none matches.
     */
    static int quality(MediaType type, List<AcceptableMediaType> accepted) {
        int bestSpecificity = -1;
        int quality = 0;
        for (AcceptableMediaType range : accepted) {
            int specificity = specificity(range, type);
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                quality = range.getQuality();
            } else if (specificity == bestSpecificity && specificity >= 0) {
                quality = Math.max(quality, range.getQuality());
            }
        }
        return quality;
    }

    /** Returns 2 for an exact range, 1 for {@code type/*}, 0 for {@code *}{@code /*}, -1 when it does not match. */
    private static int specificity(MediaType range, MediaType type) {
        if (range.isWildcardType()) {
            return 0;
        }
        if (!range.getType().equalsIgnoreCase(type.getType())) {
            return -1;
        }
        if (range.isWildcardSubtype()) {
            return 1;
        }
        return range.getSubtype().equalsIgnoreCase(type.getSubtype()) ? 2 : -1;
    }

    private static boolean sameType(MediaType a, MediaType b) {
        return a.getType().equalsIgnoreCase(b.getType()) && a.getSubtype().equalsIgnoreCase(b.getSubtype());
    }
}
