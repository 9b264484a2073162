package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.MapOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.output.CommandOutput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tests for {@link ClientTuning}'s command timeouts: which commands Lettuce puts on its timer. */
class ClientTuningTest {

    private static final ClientTuning TUNING = new ClientTuning(Duration.ofMillis(750), Duration.ofSeconds(1), 1000,
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));

    private static AsyncCommand<String, String, ?> command(CommandType type, CommandOutput<String, String, ?> output) {
        return new AsyncCommand<>(new Command<>(type, output, new CommandArgs<>(StringCodec.UTF8).addKey("k")));
    }

    private static long timeoutNanos(TimeoutOptions options, RedisCommand<?, ?, ?> command) {
        TimeoutOptions.TimeoutSource source = options.getSource();
        return source.getTimeUnit().toNanos(source.getTimeout(command));
    }

    @Test
    void everyCommand_timesOutAfterTheCommandTimeout_onStandaloneAndCluster() {
        for (TimeoutOptions options : new TimeoutOptions[] {TUNING.clientOptions().getTimeoutOptions(),
                TUNING.clusterOptions().getTimeoutOptions()}) {
            assertThat(options.isTimeoutCommands()).isTrue();
            assertThat(options.isApplyConnectionTimeout()).isFalse();
            assertThat(timeoutNanos(options, command(CommandType.PING, new StatusOutput<>(StringCodec.UTF8))))
                    .isEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
            assertThat(timeoutNanos(options, command(CommandType.HGETALL, new MapOutput<>(StringCodec.UTF8))))
                    .as("a record read by find(), awaited by nobody else").isEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
        }
    }

    @Test
    void aListingPagesRecordRead_getsNoTimer_becauseItsCallerAwaitsItWithTheSameDeadline() {
        AsyncCommand<String, String, ?> read = command(CommandType.HGETALL, new RecordOutput());

        assertThat(ClientTuning.awaitedByCaller(read)).isTrue();
        assertThat(timeoutNanos(TUNING.clientOptions().getTimeoutOptions(), read)).isZero();
        assertThat(timeoutNanos(TUNING.clusterOptions().getTimeoutOptions(), read)).isZero();
    }
}
