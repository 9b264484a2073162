package dev.latchkey.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real PostgreSQL database of its own, the twin of {@link WithRedis}: tests and constructors may
 * take a {@link PostgresDatabase} parameter. The server is {@code LATCHKEY_TEST_POSTGRES} (a JDBC URL of a database
 * whose user may create databases) if set, else {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
 * (trust authentication, as this machine kind and {@code .ci/run} set it up). A fresh database is created per test
 * class and dropped after it. When no server answers, the test fails with a message that says how to get one.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface WithPostgres {
}
