package io.wenzhen.token04;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Token verifications per second on one thread (= one core), for both formats, next to a baseline:
 * the bare AES-GCM decryption of the same bytes, so the figure can be read against the machine.
 * Run: {@code ./wenzhen bench token}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class Token04Benchmark {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final long APP = 1234567890L;

    final Token04Verifier verifier = new Token04Verifier(Clock.systemUTC(), Duration.ofMinutes(5));
    final List<String> secrets = List.of(SECRET);
    String cbcToken;
    String gcmToken;
    Token04Codec.Envelope gcmEnvelope;
    Cipher baselineCipher;
    SecretKeySpec key;

    @Setup
    public void setUp() throws Exception {
        Token04Issuer issuer = new Token04Issuer();
        RoomPrivileges privileges = new RoomPrivileges("consult-42", true, true, List.of("doctor-7_main"));
        cbcToken = issuer.issue(APP, "doctor_7", SECRET, 3600, privileges, Token04Format.CBC);
        gcmToken = issuer.issue(APP, "doctor_7", SECRET, 3600, privileges, Token04Format.GCM);
        gcmEnvelope = Token04Codec.parse(gcmToken);
        baselineCipher = Cipher.getInstance("AES/GCM/NoPadding");
        key = new SecretKeySpec(SECRET.getBytes(), "AES");
    }

    @Benchmark
    public Object verifyCbc() {
        return verifier.verify(cbcToken, APP, secrets, "doctor_7");
    }

    @Benchmark
    public Object verifyGcm() {
        return verifier.verify(gcmToken, APP, secrets, "doctor_7");
    }

    @Benchmark
    public byte[] baselineAesGcmDecryptOnly() throws Exception {
        baselineCipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, gcmEnvelope.iv()));
        return baselineCipher.doFinal(gcmEnvelope.ciphertext());
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(Token04Benchmark.class.getSimpleName()).build()).run();
    }
}
