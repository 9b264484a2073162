/**
 * The gateway service (API.md §11): a forward-auth endpoint that nginx, Caddy, Traefik, HAProxy and Envoy ask before
 * they pass a request on, deciding through the same engine as the servlet filter. {@link
 * dev.latchkey.gateway.GatewayMain} runs it from the environment; {@link dev.latchkey.gateway.GatewayServer} embeds it.
 */
@NullMarked
package dev.latchkey.gateway;

import org.jspecify.annotations.NullMarked;
