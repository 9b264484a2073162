package dev.latchkey.admin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class that needs no admin token ({@code /health}, {@code /metrics}, {@code /openapi.json}).
 * Every other resource is behind {@link AdminAuthFilter}: secure unless said otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Unauthenticated {
}
