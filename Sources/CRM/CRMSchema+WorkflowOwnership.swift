import SyncCore

/// The fields the CRM's workflows own (see `WorkflowOwnership`): one place for the rule the
/// device's editor and the server's push admission both apply.
extension CRMSchema {
    /// The tier a classification sets, written with the day it was classified as of.
    static let accountWorkflowFields = [
        WorkflowOwnership(["tier", "classified_on"], writtenWith: "classified_on", workflow: Refusal(.workflowCommand, ["command": "fieldsync classify --apply"])),
        // Points move through the ledger; the old counter is only created (an import) and
        // moved into an opening entry by the server. A manager's raise is a correction; a
        // decrease is refused for everyone (`loyalty_counter_decrement`).
        WorkflowOwnership(
            ["loyalty_points"], writtenWith: nil,
            workflow: Refusal(.ledgerWorkflow, ["commands": "fieldsync points earn / redeem", "endpoint": "POST /v1/admin/accounts/{id}/points"])
        ),
    ]

    /// The day a deal closed, stamped by a stage move to won or lost and cleared by a reopen.
    static let opportunityWorkflowFields = [
        WorkflowOwnership(["closed_on"], writtenWith: "stage", workflow: Refusal(.workflowCommand, ["command": "fieldsync opportunity stage"])),
    ]

    /// The account and deal a lead became, written with its status by the conversion.
    static let leadWorkflowFields = [
        WorkflowOwnership(["converted_account", "converted_opportunity"], writtenWith: "status", workflow: Refusal(.workflowCommand, ["command": "fieldsync lead convert"])),
    ]

    /// The SLA times, stamped by the status moves of the service flow.
    static let ticketWorkflowFields = [
        WorkflowOwnership(
            ["opened_at", "first_response_at", "resolved_at"], writtenWith: "status",
            workflow: Refusal(.timedWorkflow, ["commands": "fieldsync ticket open / ack / start / resolve / reopen"])
        ),
    ]
}
