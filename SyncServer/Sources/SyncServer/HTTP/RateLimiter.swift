import SyncCore
import Synchronization

/// Per-device request rate limiting: one token bucket per device (its replica id).
///
/// A bucket holds up to `burst` tokens and refills at `requestsPerSecond`; each request takes
/// one. A device that finds its bucket empty gets 429 `rate_limited` with `Retry-After` (whole
/// seconds until a token is back); the client retries 429 after that. Only authenticated
/// requests are counted, so the number of buckets is bounded by the number of devices.
public final class RateLimiter: Sendable {
    /// How fast buckets refill and how much they hold.
    public struct Policy: Sendable, Hashable {
        /// Tokens added per second; 0 turns rate limiting off.
        public var requestsPerSecond: Double
        /// The most tokens a bucket holds: the requests a device may send in a burst.
        public var burst: Int

        public init(requestsPerSecond: Double, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }

        public var isEnabled: Bool { requestsPerSecond > 0 }

        public static let disabled = Policy(requestsPerSecond: 0, burst: 1)
    }

    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    public let policy: Policy
    private let clock: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])
    /// The store whose buckets every server process shares, when several may serve the same
    /// devices (PostgreSQL behind a load balancer); nil keeps the buckets in this process.
    private let shared: (any ServerStorage)?

    /// - Parameters:
    ///   - clock: seconds on a monotonic clock; tests pass their own.
    ///   - shared: a store shared by several processes, whose buckets then count for all.
    public init(policy: Policy, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds, shared: (any ServerStorage)? = nil) {
        self.policy = policy
        self.clock = clock
        self.shared = shared
    }

    /// Admits one request of the device `key`, from the buckets every server process shares
    /// when there are several, else from this process's; throws `rate_limited` with the
    /// seconds to wait.
    public func admitRequest(from key: String) async throws {
        guard policy.isEnabled else { return }
        guard let shared else { return try admit(key) }
        let now = ServerClock.millisecondsSince1970()
        if let wait = try await shared.takeRateToken(key: key, now: now, burst: policy.burst, perSecond: policy.requestsPerSecond) {
            throw Self.limited(waitSeconds: Double(wait) / 1000)
        }
    }

    static func limited(waitSeconds wait: Double) -> ServerError {
        let seconds = max(1, Int(wait.rounded(.up)))
        var error = ServerError(.rateLimited, .rateLimited, ["seconds": seconds])
        error.retryAfterSeconds = seconds
        return error
    }

    /// Seconds since an arbitrary start, from the monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        (ContinuousClock.now - RateLimiter.start).seconds
    }

    private static let start = ContinuousClock.now

    /// Takes one token from `key`'s bucket, or throws `rate_limited` with the seconds to wait.
    public func admit(_ key: String) throws(ServerError) {
        guard policy.isEnabled else { return }
        let now = clock()
        let capacity = Double(max(policy.burst, 1))
        let refill = policy.requestsPerSecond
        let wait: Double? = buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updatedAt: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updatedAt) * refill)
            bucket.updatedAt = now
            defer {
                buckets[key] = bucket
                if buckets.count > 100_000 { Self.pruneFull(&buckets, now: now, capacity: capacity, refill: refill) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / refill
        }
        if let wait { throw Self.limited(waitSeconds: wait) }
    }

    /// Forgets buckets that have refilled completely: a new one starts full anyway.
    private static func pruneFull(_ buckets: inout [String: Bucket], now: Double, capacity: Double, refill: Double) {
        buckets = buckets.filter { $0.value.tokens + (now - $0.value.updatedAt) * refill < capacity }
    }
}
