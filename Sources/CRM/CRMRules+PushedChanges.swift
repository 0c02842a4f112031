import SyncCore

extension CRMRules {
    /// The server's re-check of a pushed change against the CRM rules a device checks before
    /// writing (`checkValueInvariants`: money not negative, a contract's end not before its
    /// start, a payment above zero…), so that a hand-made push or a device that skipped its
    /// rules is refused with the code the device gives (`invalid_value`).
    ///
    /// The change is judged on what its writer saw, never on what others wrote meanwhile: its
    /// own assignments, plus the current value of each register whose every sibling the change's
    /// context covers (the writer had seen exactly those writes, so its device checked the same
    /// values). A field written concurrently by another device is left out, and a rule without
    /// one of its values is not judged, so an honest offline write that crossed another is never
    /// refused (see SyncServer/README.md, "CRM rules on the server").
    ///
    /// - Throws: `ValidationError` with code `.invalidValue`.
    public static func checkPushedChange(_ change: Change, current: RecordState?, entity: EntitySchema) throws(ValidationError) {
        guard !change.isDelete else { return }
        var values: [String: Value] = [:]
        for operation in change.operations {
            if case .assign(let value) = operation.operation { values[operation.field] = value }
        }
        guard !values.isEmpty else { return }
        let touched = Set(values.keys)
        for (name, field) in current?.fields ?? [:] where values[name] == nil {
            guard let register = field.register, register.siblings.allSatisfy({ change.context.covers($0.dot) }) else { continue }
            values[name] = register.value
        }
        try checkValueInvariants(values, of: entity, touching: touched)
    }
}
