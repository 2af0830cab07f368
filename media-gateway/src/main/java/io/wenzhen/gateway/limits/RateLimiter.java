package io.wenzhen.gateway.limits;

/** A token bucket per connection: {@code perSecond} on average, bursts up to {@code burst}. */
public final class RateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public RateLimiter(int perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    public synchronized boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
