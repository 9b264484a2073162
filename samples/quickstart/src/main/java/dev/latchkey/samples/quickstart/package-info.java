/**
 * The quickstart (API.md §7): the admin service and the demo app behind {@link dev.latchkey.filter.ApiKeyFilter}, in
 * one process, on one store, configured from the environment.
 */
@NullMarked
package dev.latchkey.samples.quickstart;

import org.jspecify.annotations.NullMarked;
