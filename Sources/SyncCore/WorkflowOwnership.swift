/// Fields a workflow owns: the stamps it sets (a ticket's SLA times, a deal's close day, the
/// tier a classification sets, the account and deal a lead was converted into) that a rep may
/// not rewrite with a plain edit. Managers and admins may correct them; the correction is a
/// change like any other and shows in the record's history.
///
/// A workflow writes its stamps in the same change as the field it moves (`writtenWith`: a
/// ticket's status, a deal's stage), so the rule is a pure function of the change: a change
/// that assigns an owned field without assigning `writtenWith` was not made by the workflow.
/// It needs no state, so an offline device's workflow write is never refused because of what
/// others did meanwhile, and a retry is judged as the first push was.
public struct WorkflowOwnership: Hashable, Sendable {
    /// The owned fields.
    public var fields: [String]
    /// The field the workflow assigns in the same change; nil when no change of a rep may
    /// write the fields once the record exists (loyalty points move through the ledger).
    public var writtenWith: String?
    /// The commands that write them, named in the refusal (a phrase of `RefusalSentence`,
    /// so it reads in the reader's language too).
    public var workflow: Refusal

    public init(_ fields: [String], writtenWith: String?, workflow: Refusal) {
        self.fields = fields
        self.writtenWith = writtenWith
        self.workflow = workflow
    }
}

extension EntitySchema {
    /// The ownership of `field`; nil when anyone who may edit the record may write it.
    public func workflowOwnership(of field: String) -> WorkflowOwnership? {
        workflowOwnedFields.first { $0.fields.contains(field) }
    }

    /// The refusal of a field a person writes by hand, which its workflow owns.
    public func handWrittenRefusal(of field: String) -> ValidationError? {
        guard let ownership = workflowOwnership(of: field) else { return nil }
        return ValidationError(
            .workflowOwnedField,
            .workflowOwnedField, ["entity": name, "field": field, "workflow": ownership.workflow]
        )
    }

    /// The refusal of `change` when it writes a workflow-owned field outside its workflow: an
    /// update (the writer had seen the record: its context is not empty) that assigns an owned
    /// field without the field its workflow writes with it. A creation sets first values (an
    /// import, a ticket opened with its time) and a delete writes no field: both pass.
    public func workflowRefusal(of change: Change) -> ValidationError? {
        guard !workflowOwnedFields.isEmpty, !change.context.isEmpty, !change.isDelete else { return nil }
        let written = Set(change.operations.map(\.field))
        for operation in change.operations {
            guard let ownership = workflowOwnership(of: operation.field) else { continue }
            if let with = ownership.writtenWith, written.contains(with) { continue }
            return handWrittenRefusal(of: operation.field)
        }
        return nil
    }
}
