import Hummingbird
import Logging
import SyncCore

/// Registers what admins use beyond accounts: the conflict and audit API under `/v1/admin`,
/// the web page under `/admin`, and `/metrics`.
func addConflictAdministration<Storage: ServerStorage>(
    to router: Router<AppRequestContext>,
    v1Admin: RouterGroup<AppRequestContext>,
    storage: Storage,
    accounts: AccountService<Storage>,
    reader: RequestBodyReader,
    guards: RequestGuards,
    schema: Schema,
    metrics: ServerMetrics,
    logger: Logger,
    formLimit: Int
) {
    let conflicts = ConflictAdminService(storage: storage, logger: logger)
    ConflictAdminController(accounts: accounts, conflicts: conflicts, reader: reader, guards: guards).addRoutes(to: v1Admin)
    MetricsController(metrics: metrics, storage: storage, schema: schema).addRoutes(to: router)
    do {
        try AdminWebController(accounts: accounts, conflicts: conflicts, schema: schema, guards: guards, formLimit: formLimit).addRoutes(to: router.group("admin"))
    } catch {
        // The templates are compiled into the binary: a failure here is a bug, not an input.
        logger.error("the admin page is unavailable: its templates do not parse", metadata: ["error": "\(error)"])
    }
}
