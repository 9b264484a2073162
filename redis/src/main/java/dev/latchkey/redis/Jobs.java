package dev.latchkey.redis;

import dev.latchkey.core.Job;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jobs: one hash per job ({@code <prefix>job:<id>}), written with its time to live in one script. */
final class Jobs {

    private static final Script SAVE = Script.load("job");

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Layout layout;
    private final Duration ttl;
    private final Duration commandTimeout;

    Jobs(RedisClusterAsyncCommands<String, String> redis, Layout layout, Duration ttl, Duration commandTimeout) {
        this.redis = redis;
        this.layout = layout;
        this.ttl = ttl;
        this.commandTimeout = commandTimeout;
    }

    void save(Job job) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(ttl.toMillis()));
        RecordCodec.encodeJob(job).forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        Failures.await(SAVE.run(redis, ScriptOutputType.INTEGER, new String[] {layout.job(job.id())},
                args.toArray(String[]::new)), commandTimeout);
    }

    Optional<Job> find(String id) {
        Map<String, String> fields = Failures.await(redis.hgetall(layout.job(id)), commandTimeout);
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(RecordCodec.decodeJob(fields));
    }
}
