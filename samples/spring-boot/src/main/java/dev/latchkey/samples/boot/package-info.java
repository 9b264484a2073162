/**
 * The Spring Boot sample: {@link dev.latchkey.filter.ApiKeyFilter} registered with a {@code FilterRegistrationBean}
 * on a {@link dev.latchkey.core.KeyStore} bean, and the demo routes in a {@code @RestController} that takes the
 * {@link dev.latchkey.engine.ApiKeyPrincipal} as a handler argument.
 */
@NullMarked
package dev.latchkey.samples.boot;

import org.jspecify.annotations.NullMarked;
