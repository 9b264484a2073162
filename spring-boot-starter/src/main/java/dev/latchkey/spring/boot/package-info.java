/**
 * The Spring Boot 4.0 starter: auto-configuration from {@code latchkey.*} properties
 * ({@link dev.latchkey.spring.boot.LatchkeyAutoConfiguration}), a servlet filter for applications without Spring
 * Security, and Spring Security integration ({@link dev.latchkey.spring.boot.LatchkeyHttpConfigurer}) that makes a key an
 * {@code Authentication} with {@code SCOPE_} authorities.
 */
@NullMarked
package dev.latchkey.spring.boot;

import org.jspecify.annotations.NullMarked;
