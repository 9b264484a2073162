package dev.latchkey.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link WithPostgres}: one database per test class, dropped when the class ends. */
final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

    /** Drops the database when the class's store closes. */
    private record Created(PostgresDatabase db, String adminUrl) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    private static PostgresDatabase database(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NS).getOrComputeIfAbsent("db", k -> create(), Created.class).db();
    }

    private static Created create() {
        String admin = System.getenv().getOrDefault("LATCHKEY_TEST_POSTGRES", DEFAULT_URL);
        String name = "latchkey_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL for this test at " + admin.replaceAll("password=[^&]*",
                    "password=…") + " (" + e.getMessage() + "). Start one on 127.0.0.1:5432 with trust"
                    + " authentication for user postgres (Debian: apt-get install -y postgresql && service postgresql"
                    + " start; .ci/run does both), or set LATCHKEY_TEST_POSTGRES to the JDBC URL of a database whose"
                    + " user may create databases.", e);
        }
        int q = admin.indexOf('?');
        String base = q < 0 ? admin : admin.substring(0, q);
        String url = base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : admin.substring(q));
        return new Created(new PostgresDatabase(url, name), admin);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == PostgresDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return database(e);
    }
}
