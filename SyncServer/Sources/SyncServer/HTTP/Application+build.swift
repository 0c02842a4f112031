import CRM
import Hummingbird
import Logging
import NIOCore
import SyncCore

/// The request context of every route: Hummingbird's core context and the language the
/// request's messages are written in.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The language of the request's error messages and per-change rejections, decided once
    /// by `ErrorMiddleware` from `Accept-Language` (English when it names neither language).
    public var language: Language = .english

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}

/// Builds the sync server application: the router over `storage`, bound to the configured
/// host and port. Run it with `runService()` (signals) or inside your own `ServiceGroup`.
/// The log compactor runs beside the HTTP server as a service of the application, every
/// `compactionInterval`.
///
/// - Parameter onServerRunning: called with the bound port once the server listens (useful with
///   port 0).
public func buildApplication(
    _ configuration: ServerConfiguration,
    storage: some ServerStorage,
    logger: Logger,
    schema: Schema = CRMSchema.schema,
    metrics: ServerMetrics = ServerMetrics(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try await buildApplication(
        configuration, storage: storage, logger: logger, schema: schema, metrics: metrics, guards: RequestGuards(configuration, storage: storage),
        onServerRunning: onServerRunning
    )
}

/// `buildApplication` with the shared limits given, so that tests can watch or saturate them.
func buildApplication(
    _ configuration: ServerConfiguration,
    storage: some ServerStorage,
    logger: Logger,
    schema: Schema = CRMSchema.schema,
    metrics: ServerMetrics = ServerMetrics(),
    guards: RequestGuards,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try configuration.validate()
    let news = LiveNews(storage: storage, configuration: configuration, logger: logger)
    let router = buildRouter(configuration, storage: storage, logger: logger, schema: schema, metrics: metrics, guards: guards, news: news)
    let connectionLimit = ConnectionLimit.effective(configuration.maxConnections, logger: logger)
    return Application(
        router: router,
        server: .guardedHTTP1(configuration, logger: logger),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "fieldsync-server",
            availableConnectionsDelegate: ConnectionLimitDelegate(limit: connectionLimit, count: guards.connections)
        ),
        services: [LogCompactor(storage: storage, configuration: configuration, logger: logger), news],
        onServerRunning: { channel in
            // One connection per accept, so that the connection limit is never overshot by the
            // several connections one read of the listening socket may otherwise accept.
            try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: 1).get()
            try? await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger), position: .first)
            }.get()
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// Builds the router with every `/v1` endpoint, the admin page at `/admin` and `/metrics`;
/// tests drive it with `app.test(.router)`. `news` tells watching devices of news: run it as a
/// service beside the router (`buildApplication` does), or watch streams only ever ping.
public func buildRouter<Storage: ServerStorage>(
    _ configuration: ServerConfiguration,
    storage: Storage,
    logger: Logger,
    schema: Schema = CRMSchema.schema,
    metrics: ServerMetrics = ServerMetrics(),
    news: LiveNews<Storage>? = nil
) -> Router<AppRequestContext> {
    buildRouter(
        configuration, storage: storage, logger: logger, schema: schema, metrics: metrics, guards: RequestGuards(configuration, storage: storage),
        news: news
    )
}

/// `buildRouter` with the shared limits given.
func buildRouter<Storage: ServerStorage>(
    _ configuration: ServerConfiguration,
    storage: Storage,
    logger: Logger,
    schema: Schema = CRMSchema.schema,
    metrics: ServerMetrics = ServerMetrics(),
    guards: RequestGuards,
    news: LiveNews<Storage>? = nil
) -> Router<AppRequestContext> {
    let reader = guards.reader(configuration)
    let sync = SyncService(storage: storage, schema: schema, configuration: configuration, logger: logger)
    let accounts = AccountService(storage: storage, logger: logger)
    let rateLimiter = guards.rateLimiter

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    OpenAPIController().addRoutes(to: router)
    let v1 = router.group("v1")
    HealthController(storage: storage).addRoutes(to: v1)
    ReportsController(accounts: accounts, reports: ReportService(storage: storage, schema: schema), guards: guards).addRoutes(to: v1.group("reports"))
    SyncController(sync: sync, accounts: accounts, reader: reader, enrollReader: guards.unauthenticatedReader(configuration), rateLimiter: rateLimiter)
        .addRoutes(to: v1)
    WatchController(accounts: accounts, news: news ?? LiveNews(storage: storage, configuration: configuration, logger: logger), rateLimiter: rateLimiter)
        .addRoutes(to: v1)
    AdminController(accounts: accounts, reader: reader, rateLimiter: rateLimiter).addRoutes(to: v1.group("admin"))
    addConflictAdministration(
        to: router, v1Admin: v1.group("admin"), storage: storage, accounts: accounts, reader: reader, guards: guards, schema: schema,
        metrics: metrics, logger: logger, formLimit: configuration.unauthenticatedBodyLimit
    )
    return router
}
