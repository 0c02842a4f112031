import CRM
import Logging
import SyncCore
import SyncStore

extension CRMRules {
    /// The CRM rules as the device store's edit rule: every local edit passes them. An
    /// opportunity's edit reads the company's stage probabilities (`target` records) inside
    /// its transaction, so a table a sync brought applies to the next move: only the targets
    /// that set one, not every rep's KPI targets.
    public static let rule: EditRule = { input in
        let probabilities = input.entity.name == CRMSchema.opportunity.name
            ? StageProbabilities(targets: try input.reader.states(CRMSchema.target.name, where: "kpi", isOneOf: StageProbabilities.settings))
            : .standard
        return try CRMRules.assignments(
            for: input.entity, current: input.current, proposed: input.assignments, now: input.now, reopen: input.reopen,
            probabilities: probabilities
        )
    }
}

extension FieldWork {
    /// Opens (creating if needed) a device store with the CRM schema and rules, as the workflows
    /// need it: at `path`, or in memory when `path` is nil.
    public static func openStore(path: String?, logger: Logger = Logger(label: "fieldsync.store")) throws -> DeviceStore {
        try DeviceStore(path: path, schema: CRMSchema.schema, rule: CRMRules.rule, logger: logger)
    }
}
