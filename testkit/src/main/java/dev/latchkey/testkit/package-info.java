/**
 * Test support for Latchkey: {@link dev.latchkey.testkit.KeyStoreContract}, the suite every
 * {@link dev.latchkey.core.KeyStore} passes, with its helpers, and a real Redis for integration tests.
 */
@org.jspecify.annotations.NullMarked
package dev.latchkey.testkit;
