/**
 * Latchkey's core: the API-key model, the token format, secret hashing, the {@link dev.latchkey.core.KeyStore}
 * SPI with its embedded {@link dev.latchkey.core.InMemoryKeyStore}, the rules every entry point applies
 * ({@link dev.latchkey.core.KeyManager}, {@link dev.latchkey.core.KeyRules}) and the one verification
 * decision ({@link dev.latchkey.core.Verifier}) that the servlet filter and the admin API's verify endpoint share.
 *
 * <p>This package imports only the JDK and small pure libraries (IP-address parsing, ULIDs, JSpecify, SLF4J):
 * no Redis, servlet, Jersey or Caffeine types.
 */
@NullMarked
package dev.latchkey.core;

import org.jspecify.annotations.NullMarked;
