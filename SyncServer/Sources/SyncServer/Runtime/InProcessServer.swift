import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A sync server running inside the current process, for tests and `fieldsync demo`.
public final class RunningServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    public let host: String
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>
    private let onStop: @Sendable () async throws -> Void

    init(
        host: String, port: Int, serviceGroup: ServiceGroup, task: Task<Void, any Error>,
        onStop: @escaping @Sendable () async throws -> Void
    ) {
        self.host = host
        self.port = port
        self.serviceGroup = serviceGroup
        self.task = task
        self.onStop = onStop
    }

    /// `http://HOST:PORT`.
    public var baseURL: String { "http://\(host):\(port)" }

    /// Stops accepting connections, lets in-flight requests finish for at most the configured
    /// shutdown grace period, cancels the rest (closing their connections), then returns.
    public func stop() async throws {
        await serviceGroup.triggerGracefulShutdown()
        defer { task.cancel() }
        try await task.value
        try await onStop()
    }
}

/// Runs `application` until SIGTERM or SIGINT; then it stops accepting connections, lets
/// in-flight requests finish for at most `configuration.shutdownGracePeriod`, cancels the rest
/// (closing their connections) and returns.
public func runUntilTerminated(_ application: some ApplicationProtocol, configuration: ServerConfiguration, logger: Logger) async throws {
    try await ServiceGroup(
        configuration: InProcessServer.serviceGroupConfiguration(application, configuration: configuration, stopsOnSignals: true, logger: logger)
    ).run()
}

/// Starts sync servers in-process.
public enum InProcessServer {
    /// Starts a server over `storage` and returns once it listens. The caller still owns
    /// `storage` and closes it after `stop()`. Use port 0 for a free port.
    public static func start(
        _ configuration: ServerConfiguration,
        storage: some ServerStorage,
        logger: Logger
    ) async throws -> RunningServer {
        try await start(configuration, storage: storage, logger: logger, onStop: {})
    }

    /// Opens the configured store (`ServerStorageOpener`), starts a server over it, and
    /// closes the store when the server is stopped.
    public static func start(_ configuration: ServerConfiguration, logger: Logger) async throws -> RunningServer {
        try await start(configuration, opened: try await ServerStorageOpener.open(configuration, logger: logger), logger: logger)
    }

    private static func start(_ configuration: ServerConfiguration, opened storage: some ServerStorage, logger: Logger) async throws -> RunningServer {
        do {
            return try await start(configuration, storage: storage, logger: logger, onStop: { try await storage.close() })
        } catch {
            try? await storage.close()
            throw error
        }
    }

    static func start(
        _ configuration: ServerConfiguration,
        storage: some ServerStorage,
        logger: Logger,
        guards: RequestGuards? = nil,
        onStop: @escaping @Sendable () async throws -> Void
    ) async throws -> RunningServer {
        let startup = Startup()
        let app = try await buildApplication(configuration, storage: storage, logger: logger, guards: guards ?? RequestGuards(configuration, storage: storage)) { port in
            startup.finish(.success(port))
        }
        let serviceGroup = ServiceGroup(configuration: serviceGroupConfiguration(app, configuration: configuration, stopsOnSignals: false, logger: logger))
        let task = Task {
            do {
                try await serviceGroup.run()
                startup.finish(.failure(ServerError(.internalError, .stoppedBeforeListening)))
            } catch {
                startup.finish(.failure(error))
                throw error
            }
        }
        let port = try await startup.port()
        return RunningServer(host: configuration.host, port: port, serviceGroup: serviceGroup, task: task, onStop: onStop)
    }

    /// A service group running `application` that drains for at most the configured grace
    /// period once shutdown starts (SIGTERM or SIGINT when `stopsOnSignals`, or `stop()`), then
    /// cancels what is left.
    public static func serviceGroupConfiguration(
        _ application: some ApplicationProtocol, configuration: ServerConfiguration, stopsOnSignals: Bool, logger: Logger
    ) -> ServiceGroupConfiguration {
        var group = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [], logger: logger
        )
        group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        return group
    }

    /// Hands the bound port (or the failure to bind) from the server task to `start`.
    private final class Startup: Sendable {
        private enum State {
            case waiting(CheckedContinuation<Int, any Error>?)
            case finished(Result<Int, any Error>)
        }

        private let state = Mutex<State>(.waiting(nil))

        func finish(_ result: Result<Int, any Error>) {
            let continuation: CheckedContinuation<Int, any Error>? = state.withLock { state in
                switch state {
                case .waiting(let continuation):
                    state = .finished(result)
                    return continuation
                case .finished:
                    return nil
                }
            }
            continuation?.resume(with: result)
        }

        func port() async throws -> Int {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<Int, any Error>? = state.withLock { state in
                    switch state {
                    case .waiting:
                        state = .waiting(continuation)
                        return nil
                    case .finished(let result):
                        return result
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
