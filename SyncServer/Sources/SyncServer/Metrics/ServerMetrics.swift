import Hummingbird
import Prometheus
import SyncCore

/// The server's metrics in a Prometheus registry, exposed at `GET /metrics`.
///
/// Request counters and latencies are recorded as requests finish; the conflict gauges are read
/// from the store at every scrape, so they are right even with several server processes on
/// one database. The registry belongs to this instance (no global bootstrap): an executable
/// that wants other libraries' swift-metrics in the same output bootstraps
/// `PrometheusMetricsFactory(registry: metrics.registry)` itself.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    static let requestBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Records one finished request of an endpoint.
    public func recordRequest(endpoint: String, status: Int, duration: Duration) {
        let statusClass = "\(status / 100)xx"
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by endpoint and status class"
            ),
            labels: [("endpoint", endpoint), ("status", statusClass)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency by endpoint"
            ),
            labels: [("endpoint", endpoint)],
            buckets: Self.requestBuckets
        ).record(duration)
    }

    /// Sets the conflict gauges from fresh counts and renders the registry in the Prometheus
    /// text format.
    public func render(_ statistics: ConflictStatistics, entities: [String], logLock: LogLockStatistics? = nil) -> String {
        if let logLock { record(logLock) }
        let openDescriptor = MetricNameDescriptor(
            namespace: "fieldsync", metricName: "open_conflicts", unitName: "", helpText: "Open conflict-log entries by entity and age"
        )
        let known = Set(entities).union(statistics.open.keys.map(\.entity))
        for entity in known.sorted() {
            for age in ConflictStatistics.AgeBucket.allCases {
                let count = statistics.open[ConflictStatistics.OpenKey(entity: entity, age: age)] ?? 0
                registry.makeGauge(descriptor: openDescriptor, labels: [("entity", entity), ("age", age.rawValue)]).set(Double(count))
            }
        }
        let entriesDescriptor = MetricNameDescriptor(
            namespace: "fieldsync", metricName: "conflict_log_entries", unitName: "", helpText: "Conflict-log entries by kind and status"
        )
        for kind in ConflictKind.allCases {
            for status in ConflictStatus.allCases {
                let count = statistics.entries[ConflictStatistics.EntryKey(kind: kind.rawValue, status: status.rawValue)] ?? 0
                registry.makeGauge(descriptor: entriesDescriptor, labels: [("kind", kind.rawValue), ("status", status.rawValue)]).set(Double(count))
            }
        }
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "fieldsync", metricName: "logged_changes", unitName: "", helpText: "Changes in the server log")
        ).set(Double(statistics.changes))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "conflict_rate_per_1000_changes", unitName: "",
                helpText: "Conflict-log entries per 1,000 logged changes"
            )
        ).set(statistics.ratePerThousandChanges)
        return registry.emitToString()
    }

    /// The change log's lock in this process (PostgreSQL): totals since the store was opened,
    /// so a scraper divides their increase by the increase of sync requests for a per-sync
    /// figure.
    func record(_ lock: LogLockStatistics) {
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "fieldsync", metricName: name, unitName: "", helpText: help))
        }
        gauge("log_lock_transactions_total", "Write transactions that took the change log's lock").set(Double(lock.lockedTransactions))
        gauge("log_lock_free_transactions_total", "Write transactions that did not take the change log's lock").set(Double(lock.unlockedTransactions))
        gauge("log_lock_wait_seconds_total", "Time write transactions waited for the change log's lock").set(lock.waitSeconds)
        gauge("log_lock_hold_seconds_total", "Time write transactions held the change log's lock, until their commit ended").set(lock.holdSeconds)
        gauge("log_lock_longest_hold_seconds", "The longest time one write transaction held the change log's lock").set(lock.longestHoldSeconds)
    }
}

/// Measures every request with the endpoint it matched (the route pattern, never the raw path,
/// so ids do not make new series). Added first, so it sees the final status of every response.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(endpoint: Self.endpoint(context), status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch let error as HTTPResponseError {
            metrics.recordRequest(endpoint: Self.endpoint(context), status: error.status.code, duration: ContinuousClock.now - start)
            throw error
        } catch {
            metrics.recordRequest(endpoint: Self.endpoint(context), status: 500, duration: ContinuousClock.now - start)
            throw error
        }
    }

    static func endpoint(_ context: Context) -> String {
        context.endpointPath ?? "unmatched"
    }
}

/// `GET /metrics`.
struct MetricsController<Storage: ServerStorage>: Sendable {
    let metrics: ServerMetrics
    let storage: Storage
    let schema: Schema

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics", use: self.scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        let statistics = try await storage.conflictStatistics(now: ServerClock.millisecondsSince1970())
        let text = metrics.render(statistics, entities: schema.entityNames, logLock: storage.logLockStatistics)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
