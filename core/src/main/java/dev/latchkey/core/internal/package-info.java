/**
 * Helpers that Latchkey's own modules share (ULIDs, IP parsing, scope matching, limit windows). Not an API: these
 * types may change in any release; applications should not use them.
 */
@NullMarked
package dev.latchkey.core.internal;

import org.jspecify.annotations.NullMarked;
