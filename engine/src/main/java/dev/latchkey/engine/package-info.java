/**
 * The one authentication engine that every door holds: {@link dev.latchkey.engine.Authenticator} takes a request as
 * {@link dev.latchkey.engine.AuthRequest} (or a bare token) and answers a {@link dev.latchkey.engine.Decision}, using
 * the {@link dev.latchkey.engine.KeyCache}, core's usage recorder and verifier, the failed-authentication throttle and
 * {@link dev.latchkey.engine.LatchkeyMetrics}. Also here, so no door depends on another: what a door reads from a
 * request (route rules, path normalization, client addresses through trusted proxies, placeholders), the settings
 * ({@link dev.latchkey.engine.AuthSettings}), the one table of denials ({@link dev.latchkey.engine.Denials}), the one
 * W3C trace-context parser and the problem-body writer. Free of servlet, Jersey, Lettuce and JDBC types.
 */
@NullMarked
package dev.latchkey.engine;

import org.jspecify.annotations.NullMarked;
