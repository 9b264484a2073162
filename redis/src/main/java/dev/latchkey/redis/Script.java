package dev.latchkey.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script from this package's resources, run with {@code EVALSHA} and, when the server does not know it yet
 * (first use, or after a restart flushed the script cache), with {@code EVAL}, which also caches it.
 */
final class Script {

    private final String name;
    private final String body;
    private final String sha;

    private Script(String name, String body) {
        this.name = name;
        this.body = body;
        try {
            this.sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** Loads {@code <name>.lua}, after the given preludes (shared functions). */
    static Script load(String name, String... preludes) {
        StringBuilder text = new StringBuilder();
        for (String p : preludes) {
            text.append(read(p)).append('\n');
        }
        text.append(read(name));
        return new Script(name, text.toString());
    }

    private static String read(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            return new String(Objects.requireNonNull(in, name + ".lua").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script; the future fails with Lettuce's exception on error. */
    <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type,
            String[] keys, String... args) {
        CompletableFuture<T> first = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(e -> {
            if (isNoScript(e)) {
                return redis.<T>eval(body, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    private static boolean isNoScript(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof RedisNoScriptException
                || (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT"));
    }

    @Override
    public String toString() {
        return "Script[" + name + "]";
    }
}
