/**
 * Usage history in PostgreSQL (API.md §10): {@link dev.latchkey.history.postgres.PostgresHistory} creates and migrates
 * its tables, adds shipments exactly once by batch id, and reads minute, hour and day series. Only the admin service
 * uses this module; filter and gateway nodes never need a JDBC driver.
 */
@NullMarked
package dev.latchkey.history.postgres;

import org.jspecify.annotations.NullMarked;
