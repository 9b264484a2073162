package dev.latchkey.testkit;

/**
 * A PostgreSQL database created for one test class by {@link WithPostgres}.
 *
 * @param jdbcUrl the database's JDBC URL, in the form {@code postgresql} storage configs accept
 * @param name    the database name
 */
public record PostgresDatabase(String jdbcUrl, String name) {
}
