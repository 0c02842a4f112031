import CRM
import Hummingbird
import Logging
import NIOCore
import SyncCore

/// The request context of every route.
public typealias AppRequestContext = BasicRequestContext

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
    try configuration.validate()
    let router = buildRouter(configuration, storage: storage, logger: logger, schema: schema, metrics: metrics)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "fieldsync-server"
        ),
        services: [LogCompactor(storage: storage, configuration: configuration, logger: logger)],
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// Builds the router with every `/v1` endpoint, the admin page at `/admin` and `/metrics`;
/// tests drive it with `app.test(.router)`.
public func buildRouter<Storage: ServerStorage>(
    _ configuration: ServerConfiguration,
    storage: Storage,
    logger: Logger,
    schema: Schema = CRMSchema.schema,
    metrics: ServerMetrics = ServerMetrics()
) -> Router<AppRequestContext> {
    let reader = RequestBodyReader(maxBytes: configuration.maxRequestBytes)
    let sync = SyncService(storage: storage, schema: schema, configuration: configuration, logger: logger)
    let accounts = AccountService(storage: storage, logger: logger)
    let rateLimiter = RateLimiter(policy: configuration.rateLimitPolicy)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    OpenAPIController().addRoutes(to: router)
    let v1 = router.group("v1")
    HealthController(storage: storage).addRoutes(to: v1)
    ReportsController(accounts: accounts, reports: ReportService(storage: storage, schema: schema)).addRoutes(to: v1.group("reports"))
    SyncController(sync: sync, accounts: accounts, reader: reader, rateLimiter: rateLimiter).addRoutes(to: v1)
    AdminController(accounts: accounts, reader: reader, rateLimiter: rateLimiter).addRoutes(to: v1.group("admin"))
    addConflictAdministration(to: router, v1Admin: v1.group("admin"), storage: storage, accounts: accounts, reader: reader, schema: schema, metrics: metrics, logger: logger)
    return router
}
