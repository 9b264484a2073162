/**
 * The servlet-free key cache that every entry point shares: the servlet filter and the admin API's
 * {@code POST /v1/verify} resolve keys through {@link dev.latchkey.cache.KeyCache} and report through
 * {@link dev.latchkey.cache.LatchkeyMetrics}, so a node answers the same way whichever door a request came in by.
 */
@NullMarked
package dev.latchkey.cache;

import org.jspecify.annotations.NullMarked;
