package dev.latchkey.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The Redis named by {@code LATCHKEY_TEST_REDIS}: used as given, never stopped or flushed. */
final class EnvironmentRedisServer implements RedisServer {

    private final String uri;
    private final String host;
    private final int port;
    private final @Nullable String password;
    private final boolean tls;

    EnvironmentRedisServer(String uri) {
        this.uri = uri.trim();
        URI parsed;
        try {
            parsed = new URI(this.uri);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(RedisExtension.ENV_VAR + " is not a URI like redis://127.0.0.1:6379", e);
        }
        String scheme = parsed.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalStateException(RedisExtension.ENV_VAR + " must be a redis:// or rediss:// URI");
        }
        this.tls = "rediss".equals(scheme);
        this.host = parsed.getHost() == null ? "127.0.0.1" : parsed.getHost();
        this.port = parsed.getPort() < 0 ? 6379 : parsed.getPort();
        String userInfo = parsed.getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            this.password = null;
        } else {
            int colon = userInfo.indexOf(':');
            this.password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String uri(int database) {
        try {
            URI u = new URI(uri);
            return new URI(u.getScheme(), u.getUserInfo(), u.getHost(), u.getPort(), "/" + database, u.getQuery(),
                    null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Source source() {
        return Source.ENVIRONMENT;
    }

    @Override
    public boolean isRunning() {
        if (tls) {
            return true; // cannot check over TLS here; Lettuce will say so soon enough
        }
        try {
            return "PONG".equals(command("PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public @Nullable Object command(String... args) {
        if (tls) {
            throw new UnsupportedOperationException("the testkit sends raw commands over plain TCP only");
        }
        try {
            return Resp.command(host, port, password, Duration.ofSeconds(10), args);
        } catch (IOException | Resp.ErrorReply e) {
            throw new IllegalStateException("Redis at " + host + ":" + port + " failed " + args[0] + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "EnvironmentRedisServer[" + host + ":" + port + "]";
    }
}
