/**
 * A plain servlet application on embedded Jetty 12 (ee10) that installs {@link dev.latchkey.filter.ApiKeyFilter}
 * the way a {@code web.xml} would: a {@code FilterHolder} with init-params, the store named by
 * {@code latchkey.redis-url}.
 */
@NullMarked
package dev.latchkey.samples.jetty;

import org.jspecify.annotations.NullMarked;
