package io.tickroom.bench;

import io.tickroom.server.auth.AuthException;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.auth.SignedTokens;
import io.tickroom.server.auth.TokenPolicy;
import io.tickroom.server.auth.TokenVerifier;
import io.tickroom.server.auth.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * The token work of every connect: the handshake's JWT check (HS256, strict JSON, the claims),
 * and the resume token the welcome carries (signed) and a resume presents (verified).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TokenBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBenchmark {
    static final String SECRET = "benchmark-hs256-secret-0123456789abcdef";
    TokenVerifier verifier;
    String jwt;
    SignedTokens resume;
    List<String> resumeFields;
    String resumeToken;

    @Setup
    public void setUp() throws Exception {
        verifier = new TokenVerifier(SECRET, TokenPolicy.DEFAULTS, System::currentTimeMillis);
        jwt = Tokens.mint(
                SECRET,
                "user-1234",
                "Player One",
                Set.of("player"),
                Instant.now().plusSeconds(3600),
                1500);
        resume = new SignedTokens(SECRET, "resume token");
        resumeFields = List.of("s0123456789abcdef", "user-1234", "node-1", Long.toString(System.currentTimeMillis()));
        resumeToken = resume.sign(resumeFields);
        if (!verifier.verify(jwt).userId().equals("user-1234")) {
            throw new IllegalStateException("the benchmark's token does not verify");
        }
    }

    @Benchmark
    public Principal verifyJwt() throws AuthException {
        return verifier.verify(jwt);
    }

    @Benchmark
    public String signResumeToken() {
        return resume.sign(resumeFields);
    }

    @Benchmark
    public List<String> verifyResumeToken() throws SignedTokens.InvalidTokenException {
        return resume.verify(resumeToken, 4);
    }
}
