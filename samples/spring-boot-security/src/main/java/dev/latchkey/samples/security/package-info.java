/**
 * The Spring Security sample: API keys as authentications with {@code SCOPE_} authorities next to HTTP Basic.
 */
@NullMarked
package dev.latchkey.samples.security;

import org.jspecify.annotations.NullMarked;
