/**
 * The admin side of Latchkey's core: {@link dev.latchkey.core.admin.KeyManager}, which applies every admin rule
 * (validation, status transitions, rotation and grace windows, reset, tenants) on top of a
 * {@link dev.latchkey.core.KeyStore}, {@link dev.latchkey.core.admin.LimitManager} for rate limits, quotas and tenant
 * defaults, the request types they take, the {@link dev.latchkey.core.admin.Actor} on whose behalf they act, and the
 * exceptions they answer with. A door (the filter, the gateway) never needs this package.
 */
@NullMarked
package dev.latchkey.core.admin;

import org.jspecify.annotations.NullMarked;
