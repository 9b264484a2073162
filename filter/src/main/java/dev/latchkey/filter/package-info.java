/**
 * The drop-in servlet filter: {@link dev.latchkey.filter.ApiKeyFilter} authenticates API keys on any Jakarta
 * Servlet 6 container and hands the application an {@link dev.latchkey.engine.ApiKeyPrincipal}. It only translates:
 * the servlet request into the engine's {@code AuthRequest}, and the engine's {@code Decision} into a pass or a
 * problem answer; it never imports a Redis client (a store named by URL is opened through {@code KeyStoreProvider}).
 */
@NullMarked
package dev.latchkey.filter;

import org.jspecify.annotations.NullMarked;
