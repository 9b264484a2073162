package dev.latchkey.bench;

import dev.latchkey.core.Environment;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.TokenForm;
import dev.latchkey.core.internal.Ids;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How much the checksum check costs before any lookup: classifying a valid token and a mistyped one, against the
 * baseline of {@link String#hashCode()} on a fresh copy of the same token (a pass over its characters).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class TokenCodecBenchmark {

    private final TokenCodec codec = TokenCodec.defaults();
    private String valid = "";
    private String mistyped = "";

    @Setup
    public void setUp() {
        valid = codec.generate(Environment.LIVE, Ids.next());
        char[] c = valid.toCharArray();
        c[40] = c[40] == 'a' ? 'b' : 'a';
        mistyped = new String(c);
    }

    @Benchmark
    public int baseline_hashOfCopy() {
        return new String(valid.toCharArray()).hashCode();
    }

    @Benchmark
    public TokenForm classify_valid() {
        return codec.classify(valid);
    }

    @Benchmark
    public TokenForm classify_mistyped() {
        return codec.classify(mistyped);
    }
}
