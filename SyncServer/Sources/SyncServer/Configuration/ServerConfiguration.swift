import CRM
import Logging

/// Everything an operator can tune on a sync server.
///
/// Values come from defaults, then `FIELDSYNC_*` environment variables, then command-line flags
/// (the executable applies them in that order).
public struct ServerConfiguration: Sendable, Hashable {
    /// The address to bind; loopback by default so that a server is never exposed by accident.
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int
    /// The path of the embedded SQLite store.
    public var databasePath: String
    /// A PostgreSQL database to use instead of the SQLite store, shared by several servers
    /// (`postgres://user:password@host:port/database`); nil for SQLite.
    public var postgresURL: String?
    public var logLevel: Logger.Level
    /// The largest request body accepted, counted both as sent and after gzip decoding.
    public var maxRequestBytes: Int
    /// How far ahead of the server clock a change's HLC may be stamped.
    public var maxClockSkew: Duration
    /// The most changes one sync request may push.
    public var maxChangesPerRequest: Int
    /// Log entries or snapshot records per page when the device does not say.
    public var defaultPageLimit: Int
    /// The most log entries or snapshot records per page, whatever the device asks.
    public var maxPageLimit: Int
    /// A page stops growing once its entries reach about this many bytes of JSON.
    public var maxPageBytes: Int
    /// Bootstrapping devices whose next snapshot page the server reads ahead at once, each a
    /// page of at most `maxPageBytes` held until the device asks for it (or for a minute); 0
    /// turns reading ahead off.
    public var maxReadAheadPages: Int
    /// Requests per second each device may sustain (its token bucket's refill rate); 0 turns
    /// rate limiting off.
    public var rateLimitPerSecond: Double
    /// Requests a device may send in a burst (its token bucket's size).
    public var rateLimitBurst: Int
    /// Devices not seen for longer stop holding back log compaction; when they come back
    /// behind the compaction floor they bootstrap again (`resync`).
    public var compactionHorizon: Duration
    /// How often the running server compacts its log; zero turns periodic compaction off
    /// (`fieldsync-server compact` still works).
    public var compactionInterval: Duration
    /// How long a client may take to send a request's head, from its first byte; then the
    /// connection is closed.
    public var headerReadTimeout: Duration
    /// How long a client may take to send a request's body, from the end of its head; then the
    /// connection is closed, whatever the handler was doing with it.
    public var bodyReadTimeout: Duration
    /// How long a connection may stay open with no request in progress and nothing received.
    public var idleTimeout: Duration
    /// The most connections served at once; further ones wait in the kernel's accept queue until
    /// one closes. The running server also keeps this below its open-file limit.
    public var maxConnections: Int
    /// The most request body bytes all requests together may hold in memory at once (as sent
    /// and decoded); a request that would go beyond is refused with 503 `server_busy`.
    public var maxBufferedRequestBytes: Int
    /// The largest body of an endpoint that reads its body before it knows who is calling
    /// (`POST /v1/enroll`, the admin page's sign-in form).
    public var maxUnauthenticatedRequestBytes: Int
    /// How long SIGTERM (or `RunningServer.stop()`) lets in-flight requests finish before the
    /// server cancels them, closes their connections and exits.
    public var shutdownGracePeriod: Duration
    /// The most expensive reads (reports, conflict lists, record histories) computed at once;
    /// the rest wait in a queue, and past it get 503 `server_busy`, so sync rounds keep a share
    /// of the server.
    public var maxConcurrentExpensiveReads: Int
    /// Expensive reads that may wait for a turn; one more is refused with 503 `server_busy`.
    public var maxQueuedExpensiveReads: Int
    /// Devices that may watch for news at once (`GET /v1/watch`), each holding a connection;
    /// one more is refused with 503 `server_busy` and syncs by polling. 0 turns watching off.
    public var maxWatchers: Int
    /// How often a watch stream carries a ping: it keeps proxies from closing a quiet
    /// connection, lets both ends see a dead one, and re-checks the device's token (a revoked
    /// device's stream ends at its next ping).
    public var watchPingInterval: Duration

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databasePath: String = "fieldsync-server.sqlite",
        logLevel: Logger.Level = .info,
        maxRequestBytes: Int = 4 * 1024 * 1024,
        maxClockSkew: Duration = .seconds(60),
        maxChangesPerRequest: Int = 1000,
        defaultPageLimit: Int = 500,
        maxPageLimit: Int = 2000,
        maxPageBytes: Int = 1024 * 1024,
        maxReadAheadPages: Int = 16,
        rateLimitPerSecond: Double = 20,
        rateLimitBurst: Int = 200,
        postgresURL: String? = nil,
        compactionHorizon: Duration = .seconds(30 * 24 * 3600),
        compactionInterval: Duration = .seconds(3600),
        headerReadTimeout: Duration = .seconds(10),
        bodyReadTimeout: Duration = .seconds(60),
        idleTimeout: Duration = .seconds(75),
        maxConnections: Int = 10_000,
        maxBufferedRequestBytes: Int = 256 * 1024 * 1024,
        maxUnauthenticatedRequestBytes: Int = 64 * 1024,
        shutdownGracePeriod: Duration = .seconds(10),
        maxConcurrentExpensiveReads: Int = 1,
        maxQueuedExpensiveReads: Int = 32,
        maxWatchers: Int = 5_000,
        watchPingInterval: Duration = .seconds(15)
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.logLevel = logLevel
        self.maxRequestBytes = maxRequestBytes
        self.maxClockSkew = maxClockSkew
        self.maxChangesPerRequest = maxChangesPerRequest
        self.defaultPageLimit = defaultPageLimit
        self.maxPageLimit = maxPageLimit
        self.maxPageBytes = maxPageBytes
        self.maxReadAheadPages = maxReadAheadPages
        self.rateLimitPerSecond = rateLimitPerSecond
        self.rateLimitBurst = rateLimitBurst
        self.postgresURL = postgresURL
        self.compactionHorizon = compactionHorizon
        self.compactionInterval = compactionInterval
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxBufferedRequestBytes = maxBufferedRequestBytes
        self.maxUnauthenticatedRequestBytes = maxUnauthenticatedRequestBytes
        self.shutdownGracePeriod = shutdownGracePeriod
        self.maxConcurrentExpensiveReads = maxConcurrentExpensiveReads
        self.maxQueuedExpensiveReads = maxQueuedExpensiveReads
        self.maxWatchers = maxWatchers
        self.watchPingInterval = watchPingInterval
    }

    /// The compaction horizon in milliseconds.
    public var compactionHorizonMilliseconds: Int64 {
        let components = compactionHorizon.components
        return components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The per-device rate limit these settings describe.
    public var rateLimitPolicy: RateLimiter.Policy {
        RateLimiter.Policy(requestsPerSecond: rateLimitPerSecond, burst: rateLimitBurst)
    }

    /// The body limit of unauthenticated endpoints: never more than `maxRequestBytes`.
    public var unauthenticatedBodyLimit: Int { min(maxUnauthenticatedRequestBytes, maxRequestBytes) }

    /// The allowed clock skew in milliseconds.
    public var maxClockSkewMilliseconds: Int64 {
        let components = maxClockSkew.components
        return components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The environment variables read by `applying(environment:)`.
    public enum EnvironmentKey: String, CaseIterable, Sendable {
        case host = "FIELDSYNC_HOST"
        case port = "FIELDSYNC_PORT"
        case database = "FIELDSYNC_SERVER_DB"
        case postgresURL = "FIELDSYNC_POSTGRES_URL"
        case logLevel = "FIELDSYNC_LOG_LEVEL"
        case maxRequestBytes = "FIELDSYNC_MAX_REQUEST_BYTES"
        case maxClockSkew = "FIELDSYNC_MAX_CLOCK_SKEW"
        case rateLimit = "FIELDSYNC_RATE_LIMIT"
        case rateBurst = "FIELDSYNC_RATE_BURST"
        case compactionHorizon = "FIELDSYNC_COMPACTION_HORIZON"
        case compactionInterval = "FIELDSYNC_COMPACTION_INTERVAL"
        case headerTimeout = "FIELDSYNC_HEADER_TIMEOUT"
        case bodyTimeout = "FIELDSYNC_BODY_TIMEOUT"
        case idleTimeout = "FIELDSYNC_IDLE_TIMEOUT"
        case maxConnections = "FIELDSYNC_MAX_CONNECTIONS"
        case maxBufferedBytes = "FIELDSYNC_MAX_BUFFERED_BYTES"
        case maxUnauthenticatedBytes = "FIELDSYNC_MAX_UNAUTHENTICATED_BYTES"
        case shutdownGrace = "FIELDSYNC_SHUTDOWN_GRACE"
        case expensiveReads = "FIELDSYNC_EXPENSIVE_READS"
        case expensiveReadQueue = "FIELDSYNC_EXPENSIVE_READ_QUEUE"
        case maxWatchers = "FIELDSYNC_MAX_WATCHERS"
        case watchPing = "FIELDSYNC_WATCH_PING"
    }

    /// This configuration with the `FIELDSYNC_*` variables of `environment` applied.
    public func applying(environment: [String: String]) throws(ConfigurationError) -> ServerConfiguration {
        var result = self
        func value(_ key: EnvironmentKey) -> String? {
            guard let text = environment[key.rawValue], !text.isEmpty else { return nil }
            return text
        }
        if let host = value(.host) { result.host = host }
        if let text = value(.port) { result.port = try Self.parsePort(text, source: EnvironmentKey.port.rawValue) }
        if let path = value(.database) { result.databasePath = path }
        if let url = value(.postgresURL) { result.postgresURL = url }
        if let text = value(.logLevel) { result.logLevel = try Self.parseLogLevel(text, source: EnvironmentKey.logLevel.rawValue) }
        if let text = value(.maxRequestBytes) {
            result.maxRequestBytes = try Self.parsePositive(text, source: EnvironmentKey.maxRequestBytes.rawValue)
        }
        if let text = value(.maxClockSkew) {
            result.maxClockSkew = try Self.parseSkew(text, source: EnvironmentKey.maxClockSkew.rawValue)
        }
        if let text = value(.rateLimit) {
            result.rateLimitPerSecond = try Self.parseRate(text, source: EnvironmentKey.rateLimit.rawValue)
        }
        if let text = value(.rateBurst) {
            result.rateLimitBurst = try Self.parsePositive(text, source: EnvironmentKey.rateBurst.rawValue)
        }
        if let text = value(.compactionHorizon) {
            result.compactionHorizon = try Self.parseDuration(text, source: EnvironmentKey.compactionHorizon.rawValue)
        }
        if let text = value(.compactionInterval) {
            result.compactionInterval = try Self.parseDuration(text, source: EnvironmentKey.compactionInterval.rawValue)
        }
        if let text = value(.headerTimeout) { result.headerReadTimeout = try Self.parseTimeout(text, source: EnvironmentKey.headerTimeout.rawValue) }
        if let text = value(.bodyTimeout) { result.bodyReadTimeout = try Self.parseTimeout(text, source: EnvironmentKey.bodyTimeout.rawValue) }
        if let text = value(.idleTimeout) { result.idleTimeout = try Self.parseTimeout(text, source: EnvironmentKey.idleTimeout.rawValue) }
        if let text = value(.shutdownGrace) { result.shutdownGracePeriod = try Self.parseTimeout(text, source: EnvironmentKey.shutdownGrace.rawValue) }
        if let text = value(.maxConnections) { result.maxConnections = try Self.parsePositive(text, source: EnvironmentKey.maxConnections.rawValue) }
        if let text = value(.maxBufferedBytes) {
            result.maxBufferedRequestBytes = try Self.parsePositive(text, source: EnvironmentKey.maxBufferedBytes.rawValue)
        }
        if let text = value(.maxUnauthenticatedBytes) {
            result.maxUnauthenticatedRequestBytes = try Self.parsePositive(text, source: EnvironmentKey.maxUnauthenticatedBytes.rawValue)
        }
        if let text = value(.expensiveReads) {
            result.maxConcurrentExpensiveReads = try Self.parsePositive(text, source: EnvironmentKey.expensiveReads.rawValue)
        }
        if let text = value(.expensiveReadQueue) {
            result.maxQueuedExpensiveReads = try Self.parseCount(text, source: EnvironmentKey.expensiveReadQueue.rawValue)
        }
        if let text = value(.maxWatchers) { result.maxWatchers = try Self.parseCount(text, source: EnvironmentKey.maxWatchers.rawValue) }
        if let text = value(.watchPing) { result.watchPingInterval = try Self.parseTimeout(text, source: EnvironmentKey.watchPing.rawValue) }
        try result.validate()
        return result
    }

    /// Parses a timeout: a positive number of seconds, fractions allowed ("10", "0.5"), or a
    /// whole number with `s` or `m` ("30s", "2m").
    public static func parseTimeout(_ text: String, source: String) throws(ConfigurationError) -> Duration {
        var digits = Substring(text)
        var unit = 1.0
        if text.hasSuffix("s") {
            digits = digits.dropLast()
        } else if text.hasSuffix("m") {
            digits = digits.dropLast()
            unit = 60
        }
        guard let seconds = Double(digits), seconds > 0, seconds.isFinite, seconds * unit < 1e9 else {
            throw ConfigurationError(.notATimeout, ["source": source, "text": text])
        }
        return .milliseconds(Int64((seconds * unit * 1000).rounded(.up)))
    }

    /// Parses a count that may be zero.
    public static func parseCount(_ text: String, source: String) throws(ConfigurationError) -> Int {
        guard let number = Int(text), number >= 0 else {
            throw ConfigurationError(.notACount, ["source": source, "text": text])
        }
        return number
    }

    /// Parses a duration: a number with a unit, `s`, `m`, `h` or `d` ("30d", "1h", "90s"), or
    /// a bare number of seconds.
    public static func parseDuration(_ text: String, source: String) throws(ConfigurationError) -> Duration {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = text.last, let seconds = units[last] {
            digits = text.dropLast()
            unit = seconds
        }
        guard let number = Int64(digits), number >= 0, number <= Int64.max / unit / 1000 else {
            throw ConfigurationError(.notADuration, ["source": source, "text": text])
        }
        return .seconds(number * unit)
    }

    /// Checks that the values make sense together.
    public func validate() throws(ConfigurationError) {
        guard (0...65535).contains(port) else { throw ConfigurationError(.portOutOfRange, ["port": port]) }
        guard maxRequestBytes > 0 else { throw ConfigurationError(.maxRequestNotPositive) }
        guard maxClockSkew >= .zero else { throw ConfigurationError(.negativeSkew) }
        guard maxChangesPerRequest > 0 else { throw ConfigurationError(.maxChangesNotPositive) }
        guard defaultPageLimit > 0, maxPageLimit >= defaultPageLimit else {
            throw ConfigurationError(.pageLimits)
        }
        guard maxPageBytes > 0 else { throw ConfigurationError(.maxPageNotPositive) }
        guard rateLimitPerSecond >= 0, rateLimitPerSecond.isFinite else {
            throw ConfigurationError(.rateLimit)
        }
        guard rateLimitBurst > 0 else { throw ConfigurationError(.burstNotPositive) }
        guard compactionHorizon >= .zero, compactionInterval >= .zero else {
            throw ConfigurationError(.compactionNegative)
        }
        guard headerReadTimeout > .zero, bodyReadTimeout > .zero, idleTimeout > .zero, shutdownGracePeriod > .zero, watchPingInterval > .zero else {
            throw ConfigurationError(.timeoutsNotPositive)
        }
        guard maxConnections > 0 else { throw ConfigurationError(.connectionsNotPositive) }
        guard maxWatchers >= 0 else { throw ConfigurationError(.notACount, ["source": "maxWatchers", "text": maxWatchers]) }
        guard maxReadAheadPages >= 0 else { throw ConfigurationError(.notACount, ["source": "maxReadAheadPages", "text": maxReadAheadPages]) }
        guard maxUnauthenticatedRequestBytes > 0 else { throw ConfigurationError(.unauthenticatedNotPositive) }
        guard maxBufferedRequestBytes >= maxRequestBytes else {
            throw ConfigurationError(.bufferedTooSmall)
        }
        guard maxConcurrentExpensiveReads > 0, maxQueuedExpensiveReads >= 0 else {
            throw ConfigurationError(.expensiveReads)
        }
        guard !databasePath.isEmpty else { throw ConfigurationError(.emptyDatabasePath) }
    }

    public static func parsePort(_ text: String, source: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ConfigurationError(.notAPort, ["source": source, "text": text])
        }
        return port
    }

    public static func parseLogLevel(_ text: String, source: String) throws(ConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(.notALogLevel, ["source": source, "text": text, "names": names])
        }
        return level
    }

    public static func parsePositive(_ text: String, source: String) throws(ConfigurationError) -> Int {
        guard let number = Int(text), number > 0 else {
            throw ConfigurationError(.notPositive, ["source": source, "text": text])
        }
        return number
    }

    /// Parses a rate in requests per second ("20", "0.5"; "0" turns limiting off).
    public static func parseRate(_ text: String, source: String) throws(ConfigurationError) -> Double {
        guard let rate = Double(text), rate >= 0, rate.isFinite else {
            throw ConfigurationError(.notARate, ["source": source, "text": text])
        }
        return rate
    }

    /// Parses a number of seconds ("60", "2.5").
    public static func parseSkew(_ text: String, source: String) throws(ConfigurationError) -> Duration {
        guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
            throw ConfigurationError(.notSeconds, ["source": source, "text": text])
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// A configuration value that cannot be used: a sentence of `ConfigurationMessage` with its
/// values, said in the reader's language by `message(in:)`.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String { "invalid_configuration" }
    public var sentence: ConfigurationMessage
    /// The values of the sentence's `{placeholders}`, as typed.
    public var values: [String: String]

    public init(_ sentence: ConfigurationMessage, _ values: KeyValuePairs<String, Any> = [:]) {
        self.sentence = sentence
        self.values = Dictionary(values.map { ($0.key, "\($0.value)") }, uniquingKeysWith: { first, _ in first })
    }

    /// The message in `language`.
    public func message(in language: Language) -> String {
        sentence.text(language, filling: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// The message in English, as logs say it.
    public var message: String { message(in: .english) }

    public var description: String { message }
}
