/**
 * The Spring Boot sample: {@code latchkey-spring-boot-starter} configured by {@code latchkey.*} properties, and the
 * demo routes in a {@code @RestController} that takes the {@link dev.latchkey.engine.ApiKeyPrincipal} as a handler
 * argument.
 */
@NullMarked
package dev.latchkey.samples.boot;

import org.jspecify.annotations.NullMarked;
