/**
 * The admin REST API of Latchkey on Jersey and Grizzly: key management, status changes, rotation and reset jobs,
 * token verification for non-Java callers, health, Prometheus metrics and the OpenAPI document.
 * {@link dev.latchkey.admin.AdminServer} embeds it; {@link dev.latchkey.admin.AdminMain} runs it from the
 * environment. Every rule lives in core's {@link dev.latchkey.core.admin.KeyManager}; this package maps HTTP to it.
 */
@NullMarked
package dev.latchkey.admin;

import org.jspecify.annotations.NullMarked;
