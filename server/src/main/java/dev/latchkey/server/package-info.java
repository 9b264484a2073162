/**
 * Guards for Latchkey's Grizzly HTTP servers, shared by the admin API and the gateway: every transport-level error
 * answered as an RFC 9457 problem (never Grizzly's HTML page), {@code X-Content-Type-Options: nosniff} on every
 * answer, request bodies read without holding a worker thread, timeouts and a bounded worker pool. Apply them with
 * {@link dev.latchkey.server.HttpServerGuards#apply}.
 *
 * <p>This package imports Grizzly's HTTP server, SLF4J and JSpecify only: no Jersey, no servlet API.
 */
@NullMarked
package dev.latchkey.server;

import org.jspecify.annotations.NullMarked;
