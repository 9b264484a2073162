/**
 * The drop-in servlet filter: {@link dev.latchkey.filter.ApiKeyFilter} authenticates API keys on any Jakarta
 * Servlet 6 container and hands the application an {@link dev.latchkey.engine.ApiKeyPrincipal}. It only translates:
 * the servlet request into the engine's {@code AuthRequest}, and the engine's {@code Decision} into a pass or a
 * problem answer; it never imports a Redis client (a store named by URL is opened through {@code KeyStoreProvider}).
 *
 * <p>Its translation parts are public for other servlet doors on an engine the application owns (the Spring Boot
 * starter's Spring Security filter, say): {@link dev.latchkey.filter.ServletAuthRequest} (the request in),
 * {@link dev.latchkey.filter.ServletProblems} (a denial out, as the filter answers it) and
 * {@link dev.latchkey.filter.AuthenticatedRequest} (the request the application sees after a grant);
 * {@code ApiKeyFilter.builder(Authenticator)} is the filter itself on such an engine.
 */
@NullMarked
package dev.latchkey.filter;

import org.jspecify.annotations.NullMarked;
