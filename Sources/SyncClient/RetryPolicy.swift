/// How the client retries a request that failed for a reason worth retrying (no answer, 5xx,
/// 429): exponential backoff with jitter. Client errors (4xx) are never retried.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt` (1-based; the first retry is attempt 2).
    public func delay(beforeAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 2, 0), 16)
        let scaled = baseDelay * (1 << exponent)
        let capped = min(scaled, maxDelay)
        let jitter = Double.random(in: 0.5...1.0)
        return capped * jitter
    }

    public static let none = RetryPolicy(maxAttempts: 1)
}
