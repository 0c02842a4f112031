/// The limits that every route of one server shares: the per-device rate limit, the memory
/// budget of request bodies being received, the gate of expensive reads, and the count of open
/// connections. Built once per server from its configuration; tests build their own to watch
/// or saturate them.
struct RequestGuards: Sendable {
    let rateLimiter: RateLimiter
    let bodyBudget: RequestMemoryBudget
    let expensiveReads: ExpensiveReadGate
    let connections: ConnectionCount

    /// - Parameter storage: the store; when several processes share it, so do the rate buckets.
    init(_ configuration: ServerConfiguration, storage: (any ServerStorage)? = nil) {
        rateLimiter = RateLimiter(policy: configuration.rateLimitPolicy, shared: storage.flatMap { $0.isSharedByProcesses ? $0 : nil })
        bodyBudget = RequestMemoryBudget(capacity: configuration.maxBufferedRequestBytes)
        expensiveReads = ExpensiveReadGate(concurrency: configuration.maxConcurrentExpensiveReads, queueLimit: configuration.maxQueuedExpensiveReads)
        connections = ConnectionCount()
    }

    /// Reads the body of a route that authenticated its caller first.
    func reader(_ configuration: ServerConfiguration) -> RequestBodyReader {
        RequestBodyReader(maxBytes: configuration.maxRequestBytes, budget: bodyBudget)
    }

    /// Reads the body of a route that must read it before it knows who is calling.
    func unauthenticatedReader(_ configuration: ServerConfiguration) -> RequestBodyReader {
        RequestBodyReader(maxBytes: configuration.unauthenticatedBodyLimit, budget: bodyBudget)
    }
}
