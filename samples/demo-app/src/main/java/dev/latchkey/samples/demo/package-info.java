/**
 * The demo application that every Latchkey sample serves (API.md §7): {@code GET /health}, {@code GET /hello},
 * {@code GET /reports} and {@code POST /reports}, as plain servlets that read the {@link
 * dev.latchkey.engine.ApiKeyPrincipal} the filter hands them. The samples differ only in how they start a container
 * and install {@link dev.latchkey.filter.ApiKeyFilter} in front of these routes.
 */
@NullMarked
package dev.latchkey.samples.demo;

import org.jspecify.annotations.NullMarked;
