/**
 * The Tomcat sample's own classes: a Prometheus registry added to Micrometer's global registry (where an
 * {@link dev.latchkey.filter.ApiKeyFilter} configured by {@code web.xml} registers its meters) and the servlet that
 * serves it. Everything else is declared in {@code WEB-INF/web.xml}.
 */
@NullMarked
package dev.latchkey.samples.tomcat;

import org.jspecify.annotations.NullMarked;
