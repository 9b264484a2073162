/**
 * Latchkey's core: the API-key model, the token format, secret hashing, the store SPI in two layers
 * ({@link dev.latchkey.core.KeySource}, what a door reads; {@link dev.latchkey.core.KeyStore}, what the admin side
 * manages) with its embedded {@link dev.latchkey.core.InMemoryKeyStore}, and the one verification decision
 * ({@link dev.latchkey.core.Verifier}) that the servlet filter and the admin API's verify endpoint share. The admin
 * rules are in {@code dev.latchkey.core.admin}; helpers only Latchkey's modules use are in
 * {@code dev.latchkey.core.internal}.
 *
 * <p>This package imports only the JDK and small pure libraries (IP-address parsing, ULIDs, JSpecify, SLF4J):
 * no Redis, servlet, Jersey or Caffeine types.
 */
@NullMarked
package dev.latchkey.core;

import org.jspecify.annotations.NullMarked;
